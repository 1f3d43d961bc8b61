"""Known-wrong solutions of transfer: each entry is the reference with one realistic mistake."""

MISTAKES = [
    {
        "id": "slice-minus-n",
        "question": "q1",
        "why": "slices [:-n], which keeps nothing when n = 0",
        "replace": [("kept = list(model._modules.items())[: len(model) - n]", "kept = list(model._modules.items())[:-n]")],
    },
    {
        "id": "deep-copies",
        "question": "q1",
        "why": "deep-copies the kept modules, so the chopped network no longer shares the pre-trained parameters",
        "replace": [("return nn.Sequential(OrderedDict(kept))", "import copy\n    return copy.deepcopy(nn.Sequential(OrderedDict(kept)))")],
    },
    {
        "id": "chops-in-place",
        "question": "q1",
        "why": "deletes the last n modules from the model itself instead of building a new nn.Sequential",
        "replace": [("return nn.Sequential(OrderedDict(kept))", "for _ in range(n):\n        del model[len(model) - 1]\n    return model")],
    },
    {
        "id": "accepts-n-too-large",
        "question": "q1",
        "why": "lets n reach len(model) or more, returning an empty network instead of raising ValueError",
        "replace": [("not 0 <= n < len(model)", "not 0 <= n")],
    },
    {
        "id": "assumes-last-module-is-linear",
        "question": "q2",
        "why": "reads out_features of the first nn.Linear found instead of the last one left after chopping",
        "replace": [("last = inner[-1]", "last = [m for m in body.modules() if isinstance(m, nn.Linear)][0]")],
    },
    {
        "id": "accepts-zero-outputs",
        "question": "q2",
        "why": "checks only that n_outputs is an integer, so n_outputs = 0 builds a head with no outputs",
        "replace": [("if not isinstance(n_outputs, int) or n_outputs < 1:", "if not isinstance(n_outputs, int):")],
    },
    {
        "id": "head-ignores-dtype-and-device",
        "question": "q2",
        "why": "builds the head with the default float32 on the CPU, whatever the pre-trained model uses",
        "replace": [("head = nn.Linear(last.out_features, n_outputs, device=last.weight.device, dtype=last.weight.dtype)", "head = nn.Linear(last.out_features, n_outputs)")],
    },
    {
        "id": "reuses-the-old-output-layer",
        "question": "q2",
        "why": "keeps the pre-trained output layer and stacks the head after it, ignoring n_chop",
        "replace": [("body = chop_off(pretrained, n_chop)", "chop_off(pretrained, n_chop)\n    body = pretrained")],
    },
    {
        "id": "freezes-only-weights",
        "question": "q3",
        "why": "freezes the parameters named weight and leaves the biases trainable",
        "replace": [("    for parameter in module.parameters():\n        parameter.requires_grad_(False)", "    for name, parameter in module.named_parameters():\n        if name.endswith(\"weight\"):\n            parameter.requires_grad_(False)")],
    },
    {
        "id": "freezes-top-level-only",
        "question": "q3",
        "why": "freezes only the module's own parameters (recurse=False), not those of its sub-modules",
        "replace": [("for parameter in module.parameters():", "for parameter in module.parameters(recurse=False):")],
    },
    {
        "id": "freeze-returns-none",
        "question": "q3",
        "why": "freezes the parameters but forgets to return the module",
        "replace": [("        parameter.requires_grad_(False)\n    return module", "        parameter.requires_grad_(False)")],
    },
    {
        "id": "swapped-rates",
        "question": "q4",
        "why": "gives the encoder the full rate and the head the scaled one",
        "replace": [("{\"params\": encoder_params, \"lr\": lr * encoder_lr_scale},\n        {\"params\": head_params, \"lr\": lr},", "{\"params\": encoder_params, \"lr\": lr},\n        {\"params\": head_params, \"lr\": lr * encoder_lr_scale},")],
    },
    {
        "id": "includes-frozen-parameters",
        "question": "q4",
        "why": "puts every parameter in a group, frozen ones included",
        "replace": [("head_params = [p for p in head.parameters() if p.requires_grad]", "head_params = list(head.parameters())"), ("encoder_params = [p for p in encoder.parameters() if p.requires_grad and id(p) not in in_head]", "encoder_params = [p for p in encoder.parameters() if id(p) not in in_head]")],
    },
    {
        "id": "shared-parameter-twice",
        "question": "q4",
        "why": "does not remove the head's parameters from the encoder group, so a shared layer is in both",
        "replace": [("if p.requires_grad and id(p) not in in_head]", "if p.requires_grad]")],
    },
    {
        "id": "children-drops-a-shared-module",
        "question": "q1",
        "why": "slices model.children(), which lists a module used twice only once, so a shared module loses a place",
        "replace": [
            (
                "kept = list(model._modules.items())[: len(model) - n]  # keeps the names, shares the modules\n"
                "    return nn.Sequential(OrderedDict(kept))",
                "return nn.Sequential(*list(model.children())[: len(model) - n])",
            )
        ],
    },
    {
        "id": "flattens-nested-blocks",
        "question": "q1",
        "why": "walks model.modules() to the leaves, so the modules of a nested block count one by one",
        "replace": [
            (
                "kept = list(model._modules.items())[: len(model) - n]  # keeps the names, shares the modules\n"
                "    return nn.Sequential(OrderedDict(kept))",
                "leaves = [m for m in model.modules() if not isinstance(m, nn.Sequential)]\n"
                "    return nn.Sequential(*leaves[: len(leaves) - n])",
            )
        ],
    },
    {
        "id": "top-level-linear-only",
        "question": "q2",
        "why": "looks for the last nn.Linear among the top-level modules only, not inside nested blocks",
        "replace": [
            (
                "        inner = [m for m in module.modules() if isinstance(m, nn.Linear)]",
                "        inner = [module] if isinstance(module, nn.Linear) else []",
            )
        ],
    },
    {
        "id": "head-after-children",
        "question": "q2",
        "why": "rebuilds the network from body.children(), which drops the second place of a module used twice",
        "replace": [("return nn.Sequential(*body, head)", "return nn.Sequential(*body.children(), head)")],
    },
    {
        "id": "replaces-layers-in-place",
        "question": "q2",
        "why": "does the surgery on the pre-trained network itself: deletes its last n_chop modules, appends the head",
        "replace": [
            (
                "return nn.Sequential(*body, head)",
                "for _ in range(n_chop):\n        del pretrained[len(pretrained) - 1]\n"
                "    pretrained.append(head)\n    return pretrained",
            )
        ],
    },
    {
        "id": "sets-a-module-attribute",
        "question": "q3",
        "why": "writes module.requires_grad = False, an attribute of the module that no parameter reads",
        "replace": [
            (
                "    for parameter in module.parameters():\n        parameter.requires_grad_(False)",
                "    module.requires_grad = False",
            )
        ],
    },
    {
        "id": "eval-instead-of-freeze",
        "question": "q3",
        "why": "calls module.eval(), which switches dropout and batch norm to evaluation and freezes nothing",
        "replace": [
            (
                "    for parameter in module.parameters():\n        parameter.requires_grad_(False)",
                "    module.eval()",
            )
        ],
    },
    {
        "id": "membership-by-value",
        "question": "q4",
        "why": "removes the head's parameters with `p not in head_params`, which compares tensors by value",
        "replace": [("if p.requires_grad and id(p) not in in_head]", "if p.requires_grad and p not in head_params]")],
    },
]
