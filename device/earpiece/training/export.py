"""Writes the trained network as an ONNX graph and quantizes it to int8 with onnxruntime."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from earpiece.nlu.model import EMBEDDING, INPUT, OUTPUTS
from earpiece.training.network import Weights

OPSET = 17


def write_fp32(weights: Weights, path: Path, temperature: float = 1.0) -> None:
    """features[N, D] (+ embedding[N, E]) -> Relu(hidden) -> three Softmax heads.

    The intent logits are divided by `temperature` (calibration) before their Softmax.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    def init(name: str, value: np.ndarray) -> onnx.TensorProto:
        return numpy_helper.from_array(np.ascontiguousarray(value, np.float32), name)

    keys = ["w1", "b1", "wi", "bi", "we", "be", "wa", "ba"]
    inits = [init(k, getattr(weights, k)) for k in keys]
    inits.append(init("inv_t", np.array([1.0 / temperature], np.float32)))
    node = helper.make_node
    nodes = [node("MatMul", [INPUT, "w1"], ["h_mm"])]
    inputs = [
        helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, ["batch", weights.w1.shape[0]])
    ]
    if weights.w2 is not None:
        inits.append(init("w2", weights.w2))
        inputs.append(
            helper.make_tensor_value_info(
                EMBEDDING, TensorProto.FLOAT, ["batch", weights.w2.shape[0]]
            )
        )
        nodes += [
            node("MatMul", [EMBEDDING, "w2"], ["e_mm_h"]),
            node("Add", ["h_mm", "e_mm_h"], ["h_sum"]),
            node("Add", ["h_sum", "b1"], ["h_pre"]),
        ]
    else:
        nodes.append(node("Add", ["h_mm", "b1"], ["h_pre"]))
    nodes.append(node("Relu", ["h_pre"], ["hidden"]))
    for k, out in zip("iea", OUTPUTS, strict=True):
        nodes += [
            node("MatMul", ["hidden", f"w{k}"], [f"{k}_mm"]),
            node("Add", [f"{k}_mm", f"b{k}"], [f"{k}_sum" if k == "i" else f"{k}_logits"]),
        ]
        head = "i_sum" if k == "i" else f"{k}_logits"
        skip = getattr(weights, f"s{k}")
        if skip is not None and weights.w2 is not None:  # the embedding's direct path
            inits.append(init(f"s{k}", skip))
            nodes += [
                node("MatMul", [EMBEDDING, f"s{k}"], [f"{k}_skip"]),
                node("Add", [head, f"{k}_skip"], [f"{k}_all"]),
            ]
            head = f"{k}_all"
        if k == "i":
            nodes.append(node("Mul", [head, "inv_t"], ["i_logits"]))  # calibration
            head = "i_logits"
        nodes.append(node("Softmax", [head], [out], axis=-1))
    outputs = [
        helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", w.shape[1]])
        for name, w in zip(OUTPUTS, (weights.wi, weights.we, weights.wa), strict=True)
    ]
    graph = helper.make_graph(nodes, "earpiece_nlu", inputs, outputs, initializer=inits)
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
