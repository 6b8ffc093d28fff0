"""The probe: the only grader code that runs in the student's kernel.

Right after a graded test cell, the grader sends this file's source to the kernel with one
check's *inputs* (setup code and call arguments, as JSON; never references or expected
values). ``run`` calls the student's functions on those inputs and writes what they returned
as plain data: one JSON file of numbers, strings, bools and exact type names, and float64
``.npy`` files saved without pickle. It prints nothing. The grader reads the files back as
data (verify.read_observation) and compares them with its own references.

The module is self-contained (standard library and NumPy, imported inside ``run``) so that
its source can be executed in a fresh namespace in the kernel; tests import it directly.
"""


def decode(value, names):
    """A probe argument from its JSON form (verify._encode); ``names``: the check's setup namespace.
    The grader decodes the same way when it runs the references."""
    import numpy as np

    if isinstance(value, list):
        return [decode(x, names) for x in value]
    if isinstance(value, dict):
        if "__array__" in value:
            return np.asarray(value["__array__"], dtype=value["dtype"])
        if "__name__" in value:
            return names[value["__name__"]]
        if "__tuple__" in value:
            return tuple(decode(x, names) for x in value["__tuple__"])
        if "__dict__" in value:
            return {k: decode(x, names) for k, x in value["__dict__"]}
        if "__float__" in value:
            return float(value["__float__"])
    return value


def run(spec, out, namespace):
    """Call each of ``spec["calls"]`` in ``namespace`` (the kernel's globals); write ``out``."""
    import json
    import os

    import numpy as np

    setup = {}
    exec(spec["setup"], setup)

    arrays = [0]

    def typename(value):
        kind = type(value)
        return f"{kind.__module__}.{kind.__qualname__}"

    def plain(value, depth=0):
        name = typename(value)
        if depth > 4:
            return {"t": name, "unsupported": True}
        if value is None:
            return {"t": name}
        if isinstance(value, (bool, np.bool_)):
            return {"t": name, "bool": bool(value)}
        if isinstance(value, str):
            return {"t": name, "str": str(value)[:10000]}
        if isinstance(value, (list, tuple)):
            return {"t": name, "items": [plain(x, depth + 1) for x in list(value)[:1000]]}
        if isinstance(value, dict):
            return {"t": name, "keys": [str(k) for k in list(value)[:1000]],
                    "values": [plain(x, depth + 1) for x in list(value.values())[:1000]]}
        if hasattr(value, "detach") and hasattr(value, "cpu"):
            value = value.detach().cpu().numpy()
        if isinstance(value, np.ndarray) and value.ndim > 0:
            arrays[0] += 1
            path = f"{out}.{arrays[0]}.npy"
            np.save(path, np.asarray(value, dtype=np.float64), allow_pickle=False)
            return {"t": name, "array": os.path.basename(path)}
        try:
            return {"t": name, "num": float(value)}
        except Exception:
            return {"t": name, "unsupported": True}

    results = []
    for call in spec["calls"]:
        try:
            name = call["function"]
            function = setup[name[6:]] if name.startswith("setup.") else namespace[name]
            args, kwargs = decode(call["args"], setup), decode(call["kwargs"], setup)
            results.append({"value": plain(function(*args, **kwargs))})
        except BaseException as error:
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            results.append({"raised": [f"{c.__module__}.{c.__qualname__}" for c in type(error).__mro__]})
    with open(out, "w") as handle:
        handle.write(json.dumps({"results": results}))
