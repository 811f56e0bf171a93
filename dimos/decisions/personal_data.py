"""Council decisions hold no account data: public documents published on Diavgeia."""

from dimos.core.personal_data import exclude

exclude("decisions.Body", "decision bodies (reference data)")
