"""Rerun a lecture's training outside its notebook with other settings, on several seeds.

    python tools/tune.py ring '{"generator_width": 128, "final_batch": 1024}' --seeds 0 1 2 3 4
    python tools/tune.py dcgan '{"steps": 10000, "checkpoints": [5000, 7500]}' --threads 2 --record
    python tools/tune.py table

The runs use the solution notebook's own code (the exercise answers, the networks, the data,
the metrics), so a setting found here behaves the same once it is written into the notebook,
up to the order in which random numbers are drawn and the rounding. Those can decide where an
unstable setting ends: ``one_forward`` and ``fused_adam`` change only the rounding of the ring
run, so a setting that keeps its results with them is robust to it. Each run prints one JSON
line. This is how the settings named in lectures 02 and 05 ("settings we tried") were measured.

With ``--record`` each line is also appended to ``docs/tuning/<study>.jsonl`` (with the full
configuration and the torch version) and ``docs/tuning.md`` is rendered again from those logs,
one row per setting with every seed's result: the committed table the notebooks cite for
their tuning history, so that no figure in their prose is typed by hand. Never edit either.

- ``ring`` (lecture 05): WGAN-GP on the 8-Gaussian ring; high-quality fraction and modes on
  2,500 samples, as in the notebook, again for samples drawn with the notebook's Jacobian-based
  truncation (each drop in ``JBT_DROPS``), and the CPU seconds of the training loop. Its defaults are
  the notebook's WGAN-GP setting (a test compares them), critic burst included; the other knobs
  (hold, final batch, widths, weight average ...) are the tool's.
- ``dcgan`` (lecture 02): the DCGAN on the shipped digits; Inception-score analogue and Fréchet
  distance of the averaged (EMA) and the raw generator, 1,000 samples against the held-out digits.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = {"ring": ROOT / "solutions/05-wgan/05-wgan.ipynb", "dcgan": ROOT / "solutions/02-gan/02-gan.ipynb"}
# Every name the runs use, and the names those use: the cells that define them are run, in order.
NEEDED = {
    "ring": {"seed_everything", "ring_of_gaussians", "mode_coverage", "critic_loss", "wgan_generator_loss", "interpolate",
             "gradient_penalty", "mlp", "RING_STD", "ring_centers", "second_player_steps", "RING_METHODS",
             "RING_SHARED", "LATENT_DIM", "JBT_DROP", "jacobian_truncation"},
    "dcgan": {"seed_everything", "data", "classify", "judge", "test_outputs", "discriminator_loss", "generator_loss",
              "gan_training_step", "dcgan_weights_init",
              "DCGenerator", "DCDiscriminator", "RandomShift", "update_average", "inception_score", "frechet_distance"},
}
RING_DEFAULTS = dict(steps=3000, generator_width=64, critic_width=64, generator_depth=3, critic_depth=3,
                     generator_leak=0.0, ema=0.0, latent=2, generator_lr=4e-3, critic_lr=4e-3, betas=[0.5, 0.9],
                     hold_fraction=0.0, batch=256, final_batch=256, final_fraction=0.3, critic_steps=5,
                     final_critic_steps=5, lam=10.0, one_forward=False, fused_adam=False, warmup_fraction=0.0,
                     burst_critic_steps=100, burst_first=25, burst_every=500, extra_critic_steps=0)
DCGAN_DEFAULTS = dict(steps=5000, z=16, batch=128, generator_width=32, discriminator_width=32, lr=2e-3, shift=2,
                      ema=0.999, checkpoints=[], topk_gamma=0.0, topk_min=0.5, decay_fraction=0.0,
                      latent_components=0, component_std=0.5, learn_centres=False, r1=0.0, r1_every=16)
# Knobs added after the first logged runs, set as the code ran before they existed (a run logged
# without one went without it).
WITHOUT_KNOB = {
    "ring": dict(one_forward=False, fused_adam=False, warmup_fraction=0.0, generator_depth=3, critic_depth=3,
                 generator_leak=0.0, ema=0.0, burst_critic_steps=0, burst_first=25, burst_every=500,
                 extra_critic_steps=0),
    "dcgan": dict(decay_fraction=0.0, latent_components=0, component_std=0.5, learn_centres=False, r1=0.0,
                  r1_every=16),
}
# Statements worth running from a notebook cell: definitions and assignments, not loops or plots.
KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)
TUNING_LOGS = ROOT / "docs/tuning"
RING_TARGET = "8/8 modes and at least 95% high-quality samples on every seed"
# Shares of latent codes that Jacobian-based truncation drops, each scored on every ring run; the
# notebook's JBT_DROP is one of them (a test checks).
JBT_DROPS = (0.05, 0.1)


def solution_namespace(study: str) -> dict:
    """Run the first code cell and the definitions of the cells that define the study's names."""
    cells = [cell for cell in json.loads(NOTEBOOKS[study].read_text())["cells"] if cell["cell_type"] == "code"]
    namespace: dict = {}
    for index, cell in enumerate(cells):
        tree = ast.parse("".join(cell["source"]))
        kept = [node for node in tree.body if isinstance(node, KEPT)]
        defined = {target.id for node in kept if isinstance(node, (ast.Assign, ast.AnnAssign))
                   for target in ast.walk(node) if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store)}
        defined |= {node.name for node in kept if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        if index == 0 or defined & NEEDED[study]:
            exec(compile(ast.Module(body=kept, type_ignores=[]), f"{NOTEBOOKS[study].name}[{index}]", "exec"), namespace)
    missing = NEEDED[study] - namespace.keys()
    if missing:
        raise RuntimeError(f"{NOTEBOOKS[study].name} no longer defines {sorted(missing)}: update tools/tune.py")
    return namespace


def settings(defaults: dict, overrides: dict) -> dict:
    unknown = set(overrides) - set(defaults)
    if unknown:
        raise SystemExit(f"unknown settings {sorted(unknown)}; known: {sorted(defaults)}")
    return {**defaults, **overrides}


def ring_schedule(config: dict):
    """The learning-rate factor of LambdaLR: up linearly over the warm-up, constant over the hold,
    then linearly to 0 at the last step."""
    steps, hold, warmup = config["steps"], config["hold_fraction"], config["warmup_fraction"] * config["steps"]
    return lambda step: min(1.0, (step + 1) / warmup if warmup else 1.0, (1 - step / steps) / (1 - hold))


def ring_critic_loss(nb: dict, config: dict, critic, real, fake):
    """The critic's WGAN-GP loss on one batch, and its estimate of W1 (mean score on real minus on
    generated points). `one_forward` scores both batches in one call: the
    same arithmetic, in larger matrix products, so only the rounding differs."""
    import torch

    if config["one_forward"]:
        scores = critic(torch.cat([real, fake]))
        loss = nb["critic_loss"](scores[:len(real)], scores[len(real):])
    else:
        loss = nb["critic_loss"](critic(real), critic(fake))
    return loss + nb["gradient_penalty"](critic, real, fake, lam=config["lam"]), -loss.item()


def train_ring(nb: dict, config: dict, seed: int) -> dict:
    import torch

    nb["seed_everything"](seed)
    generator = nb["mlp"](config["latent"], 2, width=config["generator_width"],
                          hidden_layers=config["generator_depth"])
    critic = nb["mlp"](2, 1, width=config["critic_width"], hidden_layers=config["critic_depth"])
    if config["generator_leak"]:  # LeakyReLU units cannot die: the same weights, another activation
        for index, layer in enumerate(generator):
            if isinstance(layer, torch.nn.ReLU):
                generator[index] = torch.nn.LeakyReLU(config["generator_leak"])
    average = copy.deepcopy(generator).requires_grad_(False)  # the weight average, used when `ema` > 0
    betas = tuple(float(b) for b in config["betas"])
    fused = {"fused": True} if config["fused_adam"] else {}
    optimizers = [torch.optim.Adam(generator.parameters(), lr=config["generator_lr"], betas=betas, **fused),
                  torch.optim.Adam(critic.parameters(), lr=config["critic_lr"], betas=betas, **fused)]
    schedulers = [torch.optim.lr_scheduler.LambdaLR(optimizer, ring_schedule(config)) for optimizer in optimizers]
    burst = dict(steps=config["burst_critic_steps"], first=config["burst_first"], every=config["burst_every"]) \
        if config["burst_critic_steps"] else None
    steps, start = config["steps"], time.process_time()
    for step in range(1, steps + 1):
        final_phase = step > (1 - config["final_fraction"]) * steps
        batch = config["final_batch"] if final_phase else config["batch"]
        # the phase's critic steps, or the burst, by the notebook's own rule
        plain_steps = config["final_critic_steps"] if final_phase else config["critic_steps"]
        critic_steps = nb["second_player_steps"]({"critic_steps": plain_steps, "burst": burst}, step)
        done, estimate, most = 0, 0.0, critic_steps + config["extra_critic_steps"]
        while done < critic_steps or (done < most and estimate <= 0):  # extra steps while fakes score higher
            real = nb["ring_of_gaussians"](batch, std=nb["RING_STD"])[0]
            with torch.no_grad():
                fake = generator(torch.randn(batch, config["latent"]))
            loss, estimate = ring_critic_loss(nb, config, critic, real, fake)
            optimizers[1].zero_grad()
            loss.backward()
            optimizers[1].step()
            done += 1
        loss = nb["wgan_generator_loss"](critic(generator(torch.randn(batch, config["latent"]))))
        optimizers[0].zero_grad()
        loss.backward()
        optimizers[0].step()
        if config["ema"]:
            with torch.no_grad():
                for mean, current in zip(average.parameters(), generator.parameters()):
                    mean.lerp_(current, 1 - config["ema"])
        for scheduler in schedulers:
            scheduler.step()
    cpu_seconds = time.process_time() - start
    with torch.no_grad():
        codes = torch.randn(2500, config["latent"], generator=torch.Generator().manual_seed(seed))
        samples = (average if config["ema"] else generator)(codes)
    modes, high_quality = nb["mode_coverage"](samples, nb["ring_centers"], nb["RING_STD"])
    # the notebook's Jacobian-based truncation at each compared drop: the same codes first, more to drop from
    model, jbt = average if config["ema"] else generator, {}
    for drop in JBT_DROPS:
        pool = torch.randn(math.ceil(2500 / (1 - drop)), config["latent"], generator=torch.Generator().manual_seed(seed))
        with torch.no_grad():
            kept = model(nb["jacobian_truncation"](model, pool, 2500))
        jbt_modes, jbt_high_quality = nb["mode_coverage"](kept, nb["ring_centers"], nb["RING_STD"])
        jbt[str(drop)] = {"modes": int(jbt_modes), "high_quality": round(float(jbt_high_quality), 4)}
    return {"seed": seed, "modes": int(modes), "high_quality": round(float(high_quality), 4), "jbt": jbt,
            "cpu_seconds": round(cpu_seconds, 1)}


def dcgan_noise_size(config: dict) -> int:
    """Numbers of noise per sample: one more than the latent size with a mixture latent (it picks the component)."""
    return config["z"] + (1 if config["latent_components"] else 0)


def dcgan_scores(nb: dict, model, config: dict) -> dict:
    import torch
    from torch.optim.swa_utils import update_bn

    model = copy.deepcopy(model)
    noise_size = dcgan_noise_size(config)
    update_bn([torch.randn(config["batch"], noise_size) for _ in range(20)], model)
    model.eval()
    with torch.no_grad():
        images = (model(torch.randn(1000, noise_size, generator=torch.Generator().manual_seed(1234))) + 1) / 2
    outputs = nb["classify"](images, model=nb["judge"])
    statistics = lambda f: (f.double().mean(0), torch.cov(f.double().T))
    probs = outputs.probs.double()
    entropy = lambda p: -(p * p.clamp_min(1e-300).log()).sum(-1)
    # log IS = H(y) - E H(y|x): how evenly the classes are made, and how confidently each sample is classified
    return {"class_entropy": round(float(entropy(probs.mean(0))), 4),
            "mean_conditional_entropy": round(float(entropy(probs).mean()), 4),
            "inception_score": round(float(nb["inception_score"](outputs.probs)), 3),
            "frechet": round(float(nb["frechet_distance"](*statistics(outputs.features),
                                                          *statistics(nb["test_outputs"].features))), 2)}


def r1_step(discriminator, optimiser, real, weight: float) -> None:
    """One lazy R1 step (Mescheder et al., 2018; lazily as in StyleGAN2): descend weight / 2 times
    the squared norm of the discriminator's gradient at real images, on its own, every few steps."""
    import torch

    real = real.detach().requires_grad_(True)
    grad, = torch.autograd.grad(discriminator(real).sum(), real, create_graph=True)
    optimiser.zero_grad()
    (weight / 2 * grad.pow(2).flatten(1).sum(1).mean()).backward()
    optimiser.step()


def train_dcgan(nb: dict, config: dict, seed: int) -> list[dict]:
    import torch

    class TopK(torch.nn.Module):
        """Top-k training (Sinha et al., 2020): in the generator's step, whose fakes carry a graph,
        only the `keep` fraction of the batch that the discriminator rates highest counts."""

        def __init__(self, discriminator):
            super().__init__()
            self.discriminator, self.keep = discriminator, 1.0

        def forward(self, images):
            logits = self.discriminator(images)
            return logits.topk(int(self.keep * len(logits))).values if images.requires_grad else logits

    class MixtureLatent(torch.nn.Module):
        """A Gaussian-mixture latent (after DeLiGAN, Gurumurthy et al., 2017): takes (N, z + 1)
        standard normal noise; the first number picks one of the fixed centres (each with
        probability 1 / components, through the normal CDF), the rest places the code around it
        with standard deviation `std`. The generator gets a latent with gaps between the islands."""

        def __init__(self, generator, z_dim, components, std, seed, learn):
            super().__init__()
            self.generator, self.std = generator, std
            centres = torch.randn(components, z_dim, generator=torch.Generator().manual_seed(seed))
            if learn:  # DeLiGAN proper: the generator's optimiser moves the centres too
                self.centres = torch.nn.Parameter(centres)
            else:
                self.register_buffer("centres", centres)

        def forward(self, noise):
            uniform = 0.5 * (1 + torch.erf(noise[:, 0] / math.sqrt(2)))
            component = (uniform * len(self.centres)).long().clamp(max=len(self.centres) - 1)
            return self.generator(self.centres[component] + self.std * noise[:, 1:])

    nb["seed_everything"](seed)
    z = config["z"]
    generator = nb["DCGenerator"](z, width=config["generator_width"])
    if config["latent_components"]:
        generator = MixtureLatent(generator, z, config["latent_components"], config["component_std"], seed,
                                  config["learn_centres"])
    discriminator = nb["RandomShift"](nb["DCDiscriminator"](width=config["discriminator_width"]), config["shift"])
    generator.apply(nb["dcgan_weights_init"])
    discriminator.apply(nb["dcgan_weights_init"])
    average = copy.deepcopy(generator).requires_grad_(False)
    opt_g = torch.optim.Adam(generator.parameters(), lr=config["lr"], betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=config["lr"], betas=(0.5, 0.999))
    decay_from = (1 - config["decay_fraction"]) * config["steps"]  # both rates fall linearly to 0 from here
    factor = lambda step: min(1.0, (config["steps"] - step) / max(config["steps"] - decay_from, 1))
    schedulers = [torch.optim.lr_scheduler.LambdaLR(opt, factor) for opt in (opt_g, opt_d)] \
        if config["decay_fraction"] else []
    judged = TopK(discriminator) if config["topk_gamma"] else discriminator
    images = nb["data"].x_train * 2 - 1
    steps_per_epoch = len(images) / config["batch"]
    noise_size = dcgan_noise_size(config)
    rows, start = [], time.perf_counter()
    for step in range(1, config["steps"] + 1):
        if config["topk_gamma"]:  # k shrinks by gamma per epoch, down to topk_min
            judged.keep = max(config["topk_min"], config["topk_gamma"] ** (step / steps_per_epoch))
        real = images[torch.randint(len(images), (config["batch"],))]
        nb["gan_training_step"](generator, judged, opt_g, opt_d, real, noise_size)
        if config["r1"] and step % config["r1_every"] == 0:
            r1_step(discriminator, opt_d, real, config["r1"] * config["r1_every"])
        nb["update_average"](average, generator, config["ema"])
        for scheduler in schedulers:
            scheduler.step()
        if step in config["checkpoints"] or step == config["steps"]:
            rows.append({"seed": seed, "step": step, "seconds": round(time.perf_counter() - start, 1),
                         "ema": dcgan_scores(nb, average, config), "raw": dcgan_scores(nb, generator, config)})
    return rows


def record(rows: list[dict], config: dict, logs: Path) -> None:
    """Append the rows, with the full configuration and the torch version, to the study's log."""
    import torch

    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / f"{rows[0]['study']}.jsonl", "a") as log:
        for row in rows:
            log.write(json.dumps({**row, "config": config, "torch": torch.__version__}) + "\n")


def read_log(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def grouped(rows: list[dict], key) -> dict:
    """Rows grouped by key(row), in the order each group first appears; within a group the last
    row of each seed wins (a setting rerun on a seed replaces the older result)."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(key(row), {})[row["seed"]] = row
    return {name: [seeds[seed] for seed in sorted(seeds)] for name, seeds in groups.items()}


def ring_scores(runs: list[dict], score) -> str:
    """Three cells: each seed's high-quality % (with its modes when fewer than 8), the least, and
    whether the target was met on every seed; dashes when a run has no such score. `score(run)`
    is (modes, high-quality fraction), or None."""
    scores = [score(r) for r in runs]
    if None in scores:
        return "– | – | –"
    listed = " / ".join(f"{100 * quality:.1f}" + modes_note(modes) for modes, quality in scores)
    met = all(modes == 8 and quality >= 0.95 for modes, quality in scores)
    return f"{listed} | {100 * min(quality for _, quality in scores):.1f} | {'yes' if met else 'no'}"


def modes_note(modes: int) -> str:
    return "" if modes == 8 else f" ({modes} mode{'' if modes == 1 else 's'})"


def changes(row: dict) -> str:
    """The run's configuration as its changes from today's defaults (checkpoints left out), as JSON.
    A knob missing from a logged configuration did not exist yet: the run went without it."""
    defaults = RING_DEFAULTS if row["study"] == "ring" else DCGAN_DEFAULTS
    config = {**WITHOUT_KNOB[row["study"]], **row["config"]}
    return json.dumps({name: value for name, value in config.items()
                       if name != "checkpoints" and name in defaults and defaults[name] != value}, sort_keys=True)


def described(settings: str) -> str:
    return ", ".join(f"{name} {json.dumps(value)}" for name, value in json.loads(settings).items()) \
        or "the notebook's setting"


def render_tuning_table(logs: Path) -> str:
    return render_tuning_table_from({study: read_log(logs / f"{study}.jsonl") for study in NOTEBOOKS})


def render_tuning_table_from(logged: dict[str, list[dict]]) -> str:
    """docs/tuning.md from the logged runs of each study: one row per setting (its changes from
    today's defaults), every seed's result in seed order."""
    lines = ["# Tuning runs", "",
             "Written by `python tools/tune.py ... --record` from `docs/tuning/*.jsonl`; do not edit by hand.",
             "Each row is one setting, given as its changes from the notebook's setting (today's); the",
             "results are listed per seed, in the order of the seeds column. CPU seconds are",
             "`time.process_time()` of the training loop on one thread; two runs at once on a two-core",
             "machine inflate them (up to twice), so compare them within a row, and trust the notebook's",
             "own printout for its setting.", ""]
    versions = sorted({row.get("torch", "?") for rows in logged.values() for row in rows or []})
    if versions:
        lines += [f"Runs made with torch {', '.join(versions)}.", ""]
    ring = logged.get("ring")
    if ring:
        lines += ["## Lecture 05: WGAN-GP on the ring (`tools/tune.py ring`)", "",
                  f"High-quality fraction in % (modes covered when fewer than 8). The target: {RING_TARGET}.",
                  "JBT x%: the same generator sampled with the notebook's Jacobian-based truncation, the 2,500",
                  "codes where it is least steep out of 2,500 / (1 - x); – for runs logged before it was scored.", "",
                  "| setting | seeds | high quality, % | min | target met on these seeds | "
                  + " | ".join(f"JBT {100 * drop:g}%, % | min | met" for drop in JBT_DROPS) + " | CPU s |",
                  "|---|---|---|---|---|" + "---|---|---|" * len(JBT_DROPS) + "---|"]
        for name, runs in grouped(ring, changes).items():
            cpu = [r["cpu_seconds"] for r in runs]
            scored = [lambda r: (r["modes"], r["high_quality"])]
            scored += [lambda r, drop=str(drop): (r["jbt"][drop]["modes"], r["jbt"][drop]["high_quality"])
                       if drop in r.get("jbt", {}) else None for drop in JBT_DROPS]
            lines.append(f"| {described(name)} | {' '.join(str(r['seed']) for r in runs)} | "
                         + " | ".join(ring_scores(runs, score) for score in scored)
                         + f" | {min(cpu):.0f}–{max(cpu):.0f} |")
        lines.append("")
    dcgan = logged.get("dcgan")
    if dcgan:
        lines += ["## Lecture 02: the DCGAN (`tools/tune.py dcgan`)", "",
                  "Inception-score analogue (IS) and Fréchet distance (FID) of 1,000 samples against the held-out",
                  "digits, for the averaged (EMA) and the raw generator. The targets: FID at most 30 and IS at",
                  "least 8.5 within the lecture's 5 minutes.", "",
                  "log IS = H(y) - E H(y|x): the class entropy H(y) (log 10 = 2.303 when the ten digits are made",
                  "equally often) minus the mean entropy of the classifier's verdict on one sample (0 when every",
                  "sample is classified with certainty); both for the EMA generator, where recorded.", "",
                  "`latent_components` K feeds the generator from a mixture of K Gaussians instead of N(0, I)",
                  "(after DeLiGAN, Gurumurthy et al., 2017): K fixed centres drawn from N(0, I) with the run's",
                  "seed, each picked with probability 1/K, standard deviation `component_std` (0.5 unless listed);",
                  "with `learn_centres` the generator's optimiser moves the centres, as in DeLiGAN. `r1` gamma adds",
                  "a lazy R1 penalty (Mescheder et al., 2018): every `r1_every` (16) steps one discriminator step on",
                  "r1_every * gamma / 2 times the squared gradient norm at real digits (shifted, as the discriminator",
                  "sees them). Seconds depend on the machine's load: compare them within one day's runs only.", "",
                  "| setting | step | seeds | EMA IS | EMA FID | raw IS | raw FID | EMA H(y) | EMA E H(y\\|x) "
                  "| seconds (threads) |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        key = lambda row: (changes(row), row["step"])
        for (name, step), runs in grouped(dcgan, key).items():
            cell = lambda generator, score: " / ".join(f"{r[generator][score]:g}" if score in r[generator] else "–"
                                                       for r in runs)
            seconds = " / ".join(f"{r['seconds']:.0f} ({r.get('threads', '?')})" for r in runs)
            lines.append(f"| {described(name)} | {step} | {' '.join(str(r['seed']) for r in runs)} "
                         f"| {cell('ema', 'inception_score')} | {cell('ema', 'frechet')} "
                         f"| {cell('raw', 'inception_score')} | {cell('raw', 'frechet')} "
                         f"| {cell('ema', 'class_entropy')} | {cell('ema', 'mean_conditional_entropy')} | {seconds} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("study", choices=sorted(NOTEBOOKS) + ["table"],
                        help="the run to repeat, or `table` to render docs/tuning.md again from the logs")
    parser.add_argument("settings", nargs="?", default="{}", help="JSON object of settings to change")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the ring notebook uses 1)")
    parser.add_argument("--record", nargs="?", const=TUNING_LOGS, type=Path, metavar="LOGS",
                        help=f"append the results to LOGS/<study>.jsonl and render LOGS/../tuning.md "
                             f"(LOGS defaults to {TUNING_LOGS.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    if args.study == "table":  # e.g. after a notebook's setting changed: rows are shown as changes from it
        logs = args.record or TUNING_LOGS
        (logs.parent / "tuning.md").write_text(render_tuning_table(logs))
        return 0
    try:
        overrides = json.loads(args.settings)
    except json.JSONDecodeError as error:
        raise SystemExit(f"settings must be a JSON object: {error}")
    if not isinstance(overrides, dict):
        raise SystemExit("settings must be a JSON object, such as '{\"steps\": 100}'")
    config = settings(RING_DEFAULTS if args.study == "ring" else DCGAN_DEFAULTS, overrides)
    import torch

    torch.set_num_threads(args.threads)
    nb = solution_namespace(args.study)
    for seed in args.seeds:
        rows = [train_ring(nb, config, seed)] if args.study == "ring" else train_dcgan(nb, config, seed)
        rows = [{"study": args.study, "settings": overrides, **row, "threads": args.threads} for row in rows]
        for row in rows:
            print(json.dumps(row), flush=True)
        if args.record:  # after each seed, so that an interrupted run keeps what it measured
            record(rows, config, args.record)
            (args.record.parent / "tuning.md").write_text(render_tuning_table(args.record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
