"""The suite's warning policy (setup.cfg): our warnings fail, third-party
deprecations are reported.

Each case runs pytest in a subprocess on a tiny project that has the repository's
own pytest settings, so what is checked is the policy a user's test command gets.
"""

import configparser
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SETUP_CFG = Path(__file__).resolve().parents[1] / "setup.cfg"

THIRD_PARTY = '''
import warnings

def old_api():
    warnings.warn("old_api is deprecated", DeprecationWarning, stacklevel=1)
    return 1
'''


def run_pytest(tmp_path, test_source):
    config = configparser.ConfigParser(interpolation=None)
    config.read(SETUP_CFG)
    settings = config["tool:pytest"]
    filters = settings["filterwarnings"].strip().splitlines()
    (tmp_path / "setup.cfg").write_text(
        "[tool:pytest]\nfilterwarnings =\n" + "".join(f"    {f}\n" for f in filters)
    )
    (tmp_path / "thirdparty.py").write_text(THIRD_PARTY)
    (tmp_path / "test_case.py").write_text(textwrap.dedent(test_source))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "test_case.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )


def test_third_party_deprecation_is_reported_not_fatal(tmp_path):
    result = run_pytest(tmp_path, """
        import thirdparty

        def test_uses_old_api():
            assert thirdparty.old_api() == 1
    """)
    assert result.returncode == 0, result.stdout
    assert "1 passed" in result.stdout
    assert "old_api is deprecated" in result.stdout  # the warnings summary


@pytest.mark.parametrize("category", ["DeprecationWarning", "FutureWarning",
                                      "UserWarning", "RuntimeWarning"])
def test_warning_from_our_code_fails(tmp_path, category):
    result = run_pytest(tmp_path, f"""
        import warnings

        def test_warns():
            warnings.warn("ours", {category})
    """)
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout


def test_other_third_party_warning_fails(tmp_path):
    # Only deprecations are relaxed: a third-party RuntimeWarning (overflow, a
    # solver that did not converge) is still an error.
    result = run_pytest(tmp_path, """
        import numpy as np

        def test_overflow():
            np.exp(np.float64(1e4))
    """)
    assert result.returncode == 1, result.stdout
