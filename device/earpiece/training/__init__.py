"""Rebuilding the NLU model (`earpiece train`): data, augmentation, training, ONNX export.

Needs the `train` extra (onnx, scipy); the device runtime never imports this package.
"""
