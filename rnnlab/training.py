"""Keras training bookkeeping for the notebooks: a progress line, seconds per epoch, models timed in turns."""
from __future__ import annotations

import time

import keras
import numpy as np

from rnnlab import arguments


class EpochLog(keras.callbacks.Callback):
    """Prints one short line per epoch (at most one every ``every_s`` seconds, and always the last)
    and times every epoch, so a long ``fit(..., verbose=0)`` is never silent. An epoch that runs
    longer than ``within_epoch_s`` also gets a line saying which batch it has reached.

    ``seconds_per_epoch``: the median wall time of the epochs after the first (the first also
    traces the TensorFlow graph), validation included; the one definition the course's tables use.
    """

    def __init__(self, name: str = "", every_s: float = 10.0, quiet: bool = False, within_epoch_s: float = 20.0):
        super().__init__()
        if not isinstance(name, str):
            raise ValueError(f"name must be a string, got {name!r}")
        every_s = arguments.number("every_s", every_s, 0, finite=False, note="(seconds)")
        within_epoch_s = arguments.number("within_epoch_s", within_epoch_s, 0, finite=False, note="(seconds)")
        self.name, self.every_s, self.quiet, self.within_epoch_s = name, every_s, bool(quiet), within_epoch_s
        self.seconds: list[float] = []

    def on_train_begin(self, logs=None):
        self.seconds = []
        self._printed_epoch = 0
        self._last_print = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        self._epoch = epoch + 1

    def on_train_batch_end(self, batch, logs=None):
        now = time.perf_counter()
        if now - self._last_print >= self.within_epoch_s:  # a long epoch: say how far it has got
            self._last_print = now
            if not self.quiet:
                steps = self.params.get("steps")
                print(f"  {self._label()}epoch {self._epoch}/{self.params.get('epochs')} · batch {batch + 1}"
                      f"{f'/{steps}' if steps else ''} · {now - self._start:.0f} s", flush=True)

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        self.seconds.append(now - self._start)
        self._logs = dict(logs or {})
        if now - self._last_print >= self.every_s or epoch + 1 == self.params.get("epochs"):
            self._print(epoch + 1)

    def on_train_end(self, logs=None):
        if self.seconds and self._printed_epoch != len(self.seconds):  # stopped early: show where
            self._print(len(self.seconds))

    def _print(self, epoch: int) -> None:
        self._printed_epoch, self._last_print = epoch, time.perf_counter()
        if self.quiet:
            return
        values = " · ".join(f"{k} {v:.4g}" for k, v in self._logs.items() if isinstance(v, (int, float, np.floating)))
        print(f"  {self._label()}epoch {epoch}/{self.params.get('epochs')} · {self.seconds[-1]:.1f} s · {values}", flush=True)

    def _label(self) -> str:
        return f"{self.name} " if self.name else ""

    @property
    def seconds_per_epoch(self) -> float:
        """Median seconds of the epochs after the first (of the only epoch when there is one)."""
        if not self.seconds:
            raise ValueError("no epoch has run yet: call fit(..., callbacks=[this EpochLog]) first")
        return median_after_first(self.seconds)


def median_after_first(seconds) -> float:
    """The course's seconds per epoch: the median of the epochs after the first, which also traces the graph
    (the only epoch when there is one)."""
    return float(np.median(seconds[1:] or seconds))


def paired_epoch_seconds(runs: dict, rounds: int = 5) -> dict[str, float]:
    """Seconds per epoch of compiled models timed in turns: ``runs`` maps a name to ``(model, dataset)``.

    Every round trains each model one epoch, so a slow spell of a shared CPU hits all of them alike
    (timing one model's epochs, then the other's, measured the machine as much as the models).
    The first round also traces the graphs and is dropped; each value is the median of the rest.
    Prints one line per round, so a long comparison is never silent.
    """
    if not isinstance(runs, dict) or len(runs) < 2:
        raise ValueError(f"runs must be a dict of at least two name -> (model, dataset) pairs, got {runs!r}")
    rounds = arguments.integer("rounds", rounds, 2)
    times = {name: [] for name in runs}
    for round_ in range(1, rounds + 1):
        for name, (model, data) in runs.items():
            start = time.perf_counter()
            model.fit(data, epochs=1, verbose=0, shuffle=False)
            times[name].append(time.perf_counter() - start)
        print(f"  round {round_}/{rounds}" + "".join(f" · {name} {t[-1]:.2f} s" for name, t in times.items()), flush=True)
    return {name: median_after_first(seconds) for name, seconds in times.items()}
