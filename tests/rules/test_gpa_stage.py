"""The MILP's GPA stage (rules.milp._best_gpa) finds the best GPA from any incumbent."""

from __future__ import annotations

import pytest

from rules.formulation import formulate
from rules.milp import _best_gpa
from rules.problem import compile_problem
from rules.score import score
from tests.rules.helpers import item
from tests.rules.strategies import AS_OF, RULE, SCALE


@pytest.mark.parametrize("graded", [True, False])
def test_the_gpa_stage_leaves_a_worse_incumbent(graded: bool) -> None:
    # A pool of 3 credits that a C or an A of 3 credits fills: the credits stage may end
    # on either, and the GPA stage must move to the A. With an ungraded third item of 3
    # credits in the pool, the graded weight is no longer the credits (Dinkelbach's loop);
    # without it, one solve on the grade points alone.
    rule = RULE.validate_python({"select": {"ids": ["a", "b", "c"]}, "credits": 3})
    items = [item("a", grade="C"), item("b", grade="A")]
    if not graded:
        items.append(item("c", grade=None))
    problem = compile_problem("target", rule, items, as_of=AS_OF, scale=SCALE)
    f = formulate(problem)
    m = f.model
    m.ge({f.p[problem.roots["target"]]: 1.0}, 1.0)
    m.le(f.credits, 3.0)
    worse = next(p.var for p in f.pairs if p.thing == 0)  # the C
    incumbent = m.solve({worse: -1.0})
    assert incumbent is not None and incumbent[worse] > 0.5
    best = f.assignment(_best_gpa(f, incumbent))
    assert score(problem, best).gpa == pytest.approx(SCALE["A"])
