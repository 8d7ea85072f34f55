"""rnnlab.training.EpochLog: one line per epoch, never silent, one definition of seconds per epoch."""
import numpy as np
import pytest

import keras

from rnnlab.training import EpochLog


def tiny_fit(log, epochs=3, callbacks=()):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((8, 4)), np.zeros((8, 1))
    model.fit(x, y, epochs=epochs, verbose=0, validation_data=(x, y), callbacks=[log, *callbacks])
    return model


def test_prints_every_epoch_when_asked_and_the_last_one_always(capsys):
    log = EpochLog("dense", every_s=0)
    tiny_fit(log, epochs=3)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" · ")[0].strip() for line in lines] == ["dense epoch 1/3", "dense epoch 2/3", "dense epoch 3/3"]
    assert "loss" in lines[0] and "val_loss" in lines[0]


def test_limits_lines_to_one_per_interval_but_shows_the_end(capsys):
    tiny_fit(EpochLog(every_s=3600), epochs=5)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].strip().startswith("epoch 5/5")


def test_early_stop_shows_the_epoch_it_stopped_at(capsys):
    stop = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: setattr(model_holder[0], "stop_training", epoch == 1))
    log = EpochLog(every_s=3600)
    model_holder = []

    class Hold(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            model_holder.append(self.model)

    tiny_fit(log, epochs=6, callbacks=[Hold(), stop])
    out = capsys.readouterr().out
    assert len(log.seconds) == 2 and "epoch 2/6" in out


def test_a_long_epoch_says_which_batch_it_has_reached(capsys):
    log = EpochLog("dense", every_s=3600, within_epoch_s=0)  # 0: a line after every batch
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((8, 4)), np.zeros((8, 1)), batch_size=2, epochs=1, verbose=0, callbacks=[log])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" · ")[1] for line in lines[:4]] == ["batch 1/4", "batch 2/4", "batch 3/4", "batch 4/4"]
    assert lines[-1].strip().startswith("dense epoch 1/1")


def test_seconds_per_epoch_is_the_median_after_the_first():
    log = EpochLog(quiet=True)
    log.seconds = [9.0, 1.0, 3.0, 2.0]
    assert log.seconds_per_epoch == 2.0
    log.seconds = [5.0]
    assert log.seconds_per_epoch == 5.0
    log.seconds = []
    with pytest.raises(ValueError, match="no epoch has run yet"):
        log.seconds_per_epoch


@pytest.mark.parametrize("kwargs, match", [(dict(name=3), "name"), (dict(every_s=-1), "every_s"),
                                           (dict(every_s=True), "every_s"), (dict(within_epoch_s=-1), "within_epoch_s")])
def test_bad_arguments_name_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match):
        EpochLog(**kwargs)


class FakeClock:
    """time.perf_counter for paired_epoch_seconds: a fake model's fit advances it by its own epoch time."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class FakeModel:
    def __init__(self, clock, durations, name, order):
        self.clock, self.durations, self.calls, self.name, self.order = clock, durations, [], name, order

    def fit(self, data, epochs, verbose, shuffle):
        self.calls.append((data, epochs))
        self.order.append(self.name)
        self.clock.now += self.durations[len(self.calls) - 1]


def test_paired_epoch_seconds_takes_turns_and_drops_the_first_round(monkeypatch, capsys):
    from rnnlab import training

    clock = FakeClock()
    monkeypatch.setattr(training.time, "perf_counter", clock)
    order = []
    a, b = FakeModel(clock, [9.0, 1.0, 2.0], "a", order), FakeModel(clock, [7.0, 3.0, 5.0], "b", order)
    seconds = training.paired_epoch_seconds({"a": (a, "data a"), "b": (b, "data b")}, rounds=3)
    assert seconds == {"a": 1.5, "b": 4.0}   # medians of rounds 2 and 3; with round 1 they would be 2 and 5
    assert order == ["a", "b"] * 3 and a.calls == [("data a", 1)] * 3
    assert capsys.readouterr().out.splitlines() == ["  round 1/3 · a 9.00 s · b 7.00 s", "  round 2/3 · a 1.00 s · b 3.00 s",
                                                    "  round 3/3 · a 2.00 s · b 5.00 s"]


def test_paired_epoch_seconds_on_keras_models():
    from rnnlab.training import paired_epoch_seconds

    import tensorflow as tf

    data = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.zeros((8, 1)))).batch(4)
    runs = {}
    for name, width in (("narrow", 2), ("wide", 64)):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(width), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        runs[name] = (model, data)
    seconds = paired_epoch_seconds(runs, rounds=2)
    assert set(seconds) == {"narrow", "wide"} and all(s > 0 for s in seconds.values())


@pytest.mark.parametrize("runs, rounds, match", [({}, 3, "at least two"), ({"a": None}, 3, "at least two"),
                                                 ({"a": None, "b": None}, 1, "rounds")])
def test_paired_epoch_seconds_bad_arguments(runs, rounds, match):
    from rnnlab.training import paired_epoch_seconds

    with pytest.raises(ValueError, match=match):
        paired_epoch_seconds(runs, rounds=rounds)
