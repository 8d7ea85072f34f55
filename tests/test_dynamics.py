"""rnnlab.dynamics: Lorenz integration, Lyapunov exponent, valid prediction time (notebook 07)."""
import numpy as np
import pytest

from rnnlab import dynamics

LAMBDA = dynamics.LYAPUNOV_EXPONENT


def test_rhs_matches_the_equations():
    x, y, z = 1.0, 2.0, 3.0
    expected = [10 * (y - x), x * (28 - z) - y, x * y - 8 / 3 * z]
    np.testing.assert_allclose(dynamics.lorenz_rhs(0.0, np.array([x, y, z])), expected)
    # k copies flattened to (3k,) give k copies of the derivative
    np.testing.assert_allclose(dynamics.lorenz_rhs(0.0, np.array([x, y, z] * 2)), expected * 2)


def test_trajectory_shapes_start_and_batch():
    one = dynamics.lorenz_trajectory([1.0, 1.0, 1.0], 50, 0.01)
    assert one.shape == (50, 3) and np.array_equal(one[0], [1.0, 1.0, 1.0])
    two = dynamics.lorenz_trajectory([[1.0, 1.0, 1.0], [2.0, 3.0, 20.0]], 50, 0.01)
    assert two.shape == (2, 50, 3)
    np.testing.assert_allclose(two[0], one, rtol=0, atol=1e-7)  # batching changes steps, not the answer
    assert dynamics.lorenz_trajectory([1.0, 1.0, 1.0], 1, 0.01).shape == (1, 3)


def test_trajectory_stays_on_the_attractor():
    traj = dynamics.lorenz_trajectory([1.0, 1.0, 1.0], 2000, 0.02)[500:]
    assert np.all(np.abs(traj[:, :2]) < 30) and np.all((traj[:, 2] > 0) & (traj[:, 2] < 55))


def test_largest_lyapunov_exponent_within_5_percent():
    estimate = dynamics.lyapunov_exponent((1.0, 1.0, 1.0), n_pairs=8, t_total=100.0)
    assert abs(estimate - 0.906) / 0.906 < 0.05, estimate


def test_lyapunov_time():
    assert dynamics.lyapunov_time(0.906) == pytest.approx(1.1037527593818985)
    assert dynamics.lyapunov_time() == pytest.approx(1 / LAMBDA)


def test_vpt_known_crossing():
    dt = 0.01
    truth = np.zeros((300, 3))
    error = np.full(300, 0.1)
    error[123:] = 0.5  # first over 0.4 at step 123
    pred = truth + error[:, None]
    assert dynamics.valid_prediction_time(truth, pred, dt, std=1.0) == pytest.approx(123 * dt * LAMBDA)
    assert dynamics.valid_prediction_time(truth, pred, dt, lyapunov_exponent=1.0, std=1.0) == pytest.approx(1.23)
    # exactly at the threshold is still valid; just above is not
    error[123] = 0.4
    assert dynamics.valid_prediction_time(truth, truth + error[:, None], dt, 1.0, std=1.0) == pytest.approx(1.24)


def test_vpt_smooth_exponential_error():
    dt, lam = 0.01, 0.9
    t = np.arange(1, 1001) * dt
    truth = np.zeros((1000, 1))
    pred = 1e-3 * np.exp(lam * t)[:, None]  # error e^{λt}·1e-3 crosses 0.4 at t = ln(400)/λ
    vpt = dynamics.valid_prediction_time(truth, pred, dt, lyapunov_exponent=lam, std=1.0)
    assert vpt == pytest.approx(np.log(400), abs=lam * dt)


def test_vpt_never_crossing_is_the_whole_horizon():
    truth = np.zeros((200, 3))
    pred = truth + 0.01
    assert dynamics.valid_prediction_time(truth, pred, 0.02, std=1.0) == pytest.approx(200 * 0.02 * LAMBDA)


def test_vpt_crossing_at_step_zero_is_zero():
    truth = np.zeros((200, 3))
    assert dynamics.valid_prediction_time(truth, truth + 1.0, 0.02, std=1.0) == 0.0


def test_vpt_nan_forecast_counts_as_diverged():
    truth = np.zeros((10, 3))
    pred = truth.copy()
    pred[4] = np.nan
    assert dynamics.valid_prediction_time(truth, pred, 0.1, lyapunov_exponent=1.0, std=1.0) == pytest.approx(0.4)


def test_normalised_rmse_uses_per_variable_std():
    truth = np.zeros((2, 2))
    pred = np.array([[2.0, 0.0], [0.0, 10.0]])
    err = dynamics.normalised_rmse(truth, pred, std=[2.0, 10.0])
    np.testing.assert_allclose(err, [np.sqrt(0.5), np.sqrt(0.5)])


def test_integrator_agreement_is_far_beyond_any_forecast():
    starts = dynamics.lorenz_trajectory([1.0, 1.0, 1.0], 3, 10.0)[1:]  # two points on the attractor
    agreement = dynamics.integrator_agreement_lt(starts, 4000, 0.01, rtol=1e-10, reference_rtol=1e-12)
    print(f"rtol 1e-10 agrees with rtol 1e-12 for {agreement:.1f} Lyapunov times")
    assert agreement >= 10  # the notebook's valid prediction times are a few Lyapunov times


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(x0=[1.0, 1.0]), "x0"),
        (dict(x0=[1.0, np.nan, 1.0]), "x0"),
        (dict(n_steps=0), "n_steps"),
        (dict(n_steps=2.5), "n_steps"),
        (dict(n_steps=True), "n_steps"),
        (dict(x0=np.ones((2, 2, 3))), "x0"),
        (dict(dt=0.0), "dt"),
        (dict(dt=-0.01), "dt"),
        (dict(rtol=0.0), "rtol"),
        (dict(rtol=0.1), "rtol"),
        (dict(atol=-1.0), "atol"),
        (dict(atol=0.01), "atol"),
        (dict(method="Euler"), "method"),
    ],
)
def test_trajectory_bad_arguments(kwargs, name):
    args = dict(x0=[1.0, 1.0, 1.0], n_steps=10, dt=0.01) | kwargs
    with pytest.raises(ValueError, match=rf"^{name} "):  # the message starts with the argument's name
        dynamics.lorenz_trajectory(**args)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(dt=0), "dt"),
        (dict(dt=np.inf), "dt"),
        (dict(threshold=-0.4), "threshold"),
        (dict(lyapunov_exponent=0), "lyapunov_exponent"),
        (dict(std=[1.0, 0.0, 1.0]), "std"),
        (dict(pred=np.zeros((5, 3))), "pred"),
        (dict(truth=np.zeros((0, 3)), pred=np.zeros((0, 3))), "truth"),
        (dict(pred=np.zeros((10, 3, 1))), "pred"),
    ],
)
def test_vpt_bad_arguments(kwargs, name):
    args = dict(truth=np.zeros((10, 3)), pred=np.zeros((10, 3)), dt=0.01) | kwargs
    with pytest.raises(ValueError, match=rf"^{name} "):
        dynamics.valid_prediction_time(**args)


@pytest.mark.parametrize(
    "kwargs, name",
    [(dict(n_pairs=0), "n_pairs"), (dict(n_pairs=True), "n_pairs"), (dict(d0=0.1), "d0"), (dict(d0=0), "d0"),
     (dict(renorm_every=0), "renorm_every"), (dict(t_total=0.5), "t_total"), (dict(t_transient=-1.0), "t_transient"),
     (dict(x0=(1.0, 1.0)), "x0"), (dict(rtol=0.1), "rtol"), (dict(atol=0.0), "atol")],
)
def test_lyapunov_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        dynamics.lyapunov_exponent(**kwargs)


X0 = [1.0, 1.0, 1.0]


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: dynamics.lyapunov_time(0.0), "exponent"),
        (lambda: dynamics.lyapunov_time("1"), "exponent"),
        (lambda: dynamics.integrator_agreement_lt(X0, 10, 0.01, rtol=1e-10, reference_rtol=1e-9), "reference_rtol"),
        (lambda: dynamics.integrator_agreement_lt(X0, 0, 0.01), "n_steps"),
        (lambda: dynamics.integrator_agreement_lt(X0, 10, -0.01), "dt"),
        (lambda: dynamics.integrator_agreement_lt(X0, 10, 0.01, rtol=0.1), "rtol"),
        (lambda: dynamics.integrator_agreement_lt(X0, 10, 0.01, threshold=0), "threshold"),
        (lambda: dynamics.integrator_agreement_lt(X0, 10, 0.01, method="Euler"), "method"),
        (lambda: dynamics.integrator_agreement_lt([1.0], 10, 0.01), "x0"),
        (lambda: dynamics.points_on_attractor(0), "n"),
        (lambda: dynamics.points_on_attractor(True), "n"),
        (lambda: dynamics.points_on_attractor(2, t_transient=0.0), "t_transient"),
        (lambda: dynamics.normalised_rmse(np.zeros((4, 3)), np.zeros((5, 3))), "pred"),
        (lambda: dynamics.normalised_rmse(np.zeros((4, 3)), np.zeros((4, 3)), std=-1.0), "std"),
        (lambda: dynamics.normalised_rmse(np.zeros((4, 3)), np.zeros((4, 3))), "std"),  # constant truth: std 0
        (lambda: dynamics.normalised_rmse(np.zeros((0, 3)), np.zeros((0, 3)), std=1.0), "truth"),
    ],
)
def test_other_bad_arguments(call, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        call()


def test_points_on_attractor_are_independent_and_on_it():
    pts = dynamics.points_on_attractor(5, seed=1)
    assert pts.shape == (5, 3)
    assert np.all(np.abs(pts[:, :2]) < 30) and np.all((pts[:, 2] > 0) & (pts[:, 2] < 55))
    assert np.array_equal(pts, dynamics.points_on_attractor(5, seed=1))  # seeded
    assert len(np.unique(pts.round(3), axis=0)) == 5
