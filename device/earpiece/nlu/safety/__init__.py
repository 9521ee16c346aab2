"""Safety detection: crisis and medical-emergency statements found by rules (patterns.py) and
by meaning (model.py), the verdict on one utterance (verdict.py). The replies live in
companion/safety.py; training/safety*.py trains the classifier."""

from earpiece.nlu.safety.model import (
    CLASSIFIER_FILE,
    Classifier,
    ClassifierError,
    alarming_part,
    by_meaning,
    classifier,
    classifier_path,
    clause_max,
    model_danger,
)
from earpiece.nlu.safety.patterns import (
    AFTER_EN,
    AFTER_KO,
    WINDOW,
    Danger,
    after_emergency,
    clauses,
    concern_rules,
    farewell,
    medical_emergency,
    overdose_taken,
    plan_or_means,
    rules,
    self_harm,
    self_inflicted,
    without_figures,
    without_part,
)
from earpiece.nlu.safety.verdict import danger, still_acute

__all__ = [
    "AFTER_EN",
    "AFTER_KO",
    "CLASSIFIER_FILE",
    "WINDOW",
    "Classifier",
    "ClassifierError",
    "Danger",
    "after_emergency",
    "alarming_part",
    "by_meaning",
    "classifier",
    "classifier_path",
    "clause_max",
    "clauses",
    "concern_rules",
    "danger",
    "farewell",
    "medical_emergency",
    "model_danger",
    "overdose_taken",
    "plan_or_means",
    "rules",
    "self_harm",
    "self_inflicted",
    "still_acute",
    "without_figures",
    "without_part",
]
