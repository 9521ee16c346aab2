"""Writes the trained network as an ONNX graph and quantizes it to int8 with onnxruntime."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from earpiece.nlu.model import INPUT, OUTPUTS
from earpiece.training.network import Weights

OPSET = 17


def write_fp32(weights: Weights, path: Path) -> None:
    """features[N, D] -> Relu(features @ w1 + b1) -> two Softmax heads."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    inits = [
        numpy_helper.from_array(np.ascontiguousarray(getattr(weights, k), np.float32), k)
        for k in ("w1", "b1", "wi", "bi", "we", "be")
    ]
    node = helper.make_node
    nodes = [
        node("MatMul", [INPUT, "w1"], ["h_mm"]),
        node("Add", ["h_mm", "b1"], ["h_pre"]),
        node("Relu", ["h_pre"], ["hidden"]),
        node("MatMul", ["hidden", "wi"], ["i_mm"]),
        node("Add", ["i_mm", "bi"], ["i_logits"]),
        node("Softmax", ["i_logits"], [OUTPUTS[0]], axis=-1),
        node("MatMul", ["hidden", "we"], ["e_mm"]),
        node("Add", ["e_mm", "be"], ["e_logits"]),
        node("Softmax", ["e_logits"], [OUTPUTS[1]], axis=-1),
    ]
    dim = weights.w1.shape[0]
    graph = helper.make_graph(
        nodes,
        "earpiece_nlu",
        [helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, ["batch", dim])],
        [
            helper.make_tensor_value_info(
                OUTPUTS[0], TensorProto.FLOAT, ["batch", weights.wi.shape[1]]
            ),
            helper.make_tensor_value_info(
                OUTPUTS[1], TensorProto.FLOAT, ["batch", weights.we.shape[1]]
            ),
        ],
        initializer=inits,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="earpiece"
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    path.write_bytes(model.SerializeToString(deterministic=True))


def quantize_int8(fp32: Path, int8: Path) -> None:
    """Dynamic int8 quantization of the MatMul weights (activations quantized at run time)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger("root").setLevel(logging.ERROR)  # its pre-processing hint is not for us
    quantize_dynamic(fp32, int8, weight_type=QuantType.QInt8, per_channel=True)
