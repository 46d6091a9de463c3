"""CTDL classes and vocabularies, and what each one is in a Stackwise catalog."""

from __future__ import annotations

import difflib
import re

#: Pathway component classes (CTDL ``ceterms:*Component``) -> catalog credential type.
COMPONENT_TYPES: dict[str, str] = {
    "ceterms:CourseComponent": "course",
    "ceterms:AssessmentComponent": "exam",
    "ceterms:CredentialComponent": "certificate",  # refined by credentialType / proxyFor
    "ceterms:CompetencyComponent": "microcredential",
    "ceterms:BasicComponent": "experience",
    "ceterms:SelectionComponent": "experience",
    "ceterms:MultiComponent": "experience",
    "ceterms:JobComponent": "experience",
    "ceterms:WorkExperienceComponent": "experience",
    "ceterms:CocurricularComponent": "experience",
    "ceterms:ExtracurricularComponent": "experience",
}
#: Components that group other steps (a stage, a semester, a choice list): their children
#: are what is offered, not what is required, so without a condition they require nothing.
GROUPING = frozenset(
    {"ceterms:BasicComponent", "ceterms:SelectionComponent", "ceterms:MultiComponent"}
)

#: CTDL credential classes (the resource itself, or a ``credentialType``) -> catalog type.
CREDENTIAL_CLASSES: dict[str, str] = {
    "Badge": "badge",
    "DigitalBadge": "badge",
    "OpenBadge": "badge",
    "MicroCredential": "microcredential",
    "Certificate": "certificate",
    "CertificateOfCompletion": "certificate",
    "CertificateOfParticipation": "certificate",
    "ProfessionalCertificate": "certificate",
    "ApprenticeshipCertificate": "certificate",
    "AcademicCertificate": "certificate",
    "Diploma": "certificate",
    "GeneralEducationDevelopment": "certificate",
    "SecondarySchoolDiploma": "certificate",
    "Certification": "certification",
    "License": "license",
    "Degree": "degree",
    "AssociateDegree": "degree",
    "AssociateOfAppliedArtsDegree": "degree",
    "AssociateOfAppliedScienceDegree": "degree",
    "AssociateOfArtsDegree": "degree",
    "AssociateOfScienceDegree": "degree",
    "BachelorDegree": "degree",
    "BachelorOfArtsDegree": "degree",
    "BachelorOfScienceDegree": "degree",
    "MasterDegree": "degree",
    "MasterOfArtsDegree": "degree",
    "MasterOfScienceDegree": "degree",
    "DoctoralDegree": "degree",
    "ProfessionalDoctorate": "degree",
    "ResearchDoctorate": "degree",
    "Credential": "certificate",
}
#: Other CTDL resources a pathway or transfer value can point to -> catalog type.
RESOURCE_CLASSES: dict[str, str] = {
    "Course": "course",
    "LearningOpportunityProfile": "course",
    "LearningOpportunity": "course",
    "LearningProgram": "certificate",
    "Program": "certificate",
    "AssessmentProfile": "exam",
    "Assessment": "exam",
    "Occupation": "experience",
    "Job": "experience",
    "WorkRole": "experience",
    "Task": "experience",
    "Competency": "microcredential",
}
#: Catalog type -> the class a credential is exported as.
EXPORT_CLASS: dict[str, str] = {
    "course": "ceterms:CourseComponent",
    "exam": "ceterms:AssessmentComponent",
    "experience": "ceterms:WorkExperienceComponent",
}
EXPORT_CREDENTIAL_TYPE: dict[str, str] = {
    "badge": "ceterms:DigitalBadge",
    "microcredential": "ceterms:MicroCredential",
    "certificate": "ceterms:Certificate",
    "certification": "ceterms:Certification",
    "degree": "ceterms:Degree",
    "license": "ceterms:License",
}

#: CTDL credit units (``creditUnit:*``) -> catalog unit; ``None`` means "no fixed size".
CREDIT_UNITS: dict[str, str | None] = {
    "SemesterHour": "semester_hour",
    "QuarterHour": "quarter_hour",
    "ECTS": "ects",
    "EuropeanCreditTransferSystem": "ects",
    "ContinuingEducationUnit": "ceu",
    "CEU": "ceu",
    "ClockHour": "clock_hour",
    "DegreeCredit": None,
    "CarnegieUnit": None,
}
EXPORT_UNIT: dict[str, str] = {
    "semester_hour": "creditUnit:SemesterHour",
    "quarter_hour": "creditUnit:QuarterHour",
    "ects": "creditUnit:ECTS",
    "ceu": "creditUnit:ContinuingEducationUnit",
    "clock_hour": "creditUnit:ClockHour",
}
# Credit systems that are not CTDL units but convert to ECTS (2 SCQF or CATS credits = 1 ECTS).
_HALF_ECTS = re.compile(r"scqf|\bcats\b", re.IGNORECASE)


def local_name(term: str) -> str:
    """The part after the prefix, ``#`` or last ``/``: ``creditUnit:ECTS`` -> ``ECTS``."""
    for sep in ("#", "/"):
        if sep in term.rstrip(sep):
            term = term.rstrip(sep).rsplit(sep, 1)[1]
    return term.split(":", 1)[1] if ":" in term and "//" not in term else term


def credit_unit(term: str) -> tuple[str | None, float, str | None]:
    """A CTDL credit unit as ``(catalog unit or None, factor, warning or None)``.

    ``factor`` multiplies a value into the unit; ``None`` as unit means the unit has no fixed
    size (CTDL ``DegreeCredit``) and the caller uses the catalog's. A misspelt unit close to a
    known one is read as that one, with a warning.
    """
    if _HALF_ECTS.search(term):
        return "ects", 0.5, f"{term}: SCQF/CATS credits converted to ECTS (2 = 1 ECTS)"
    name = local_name(term)
    sizeless = "; it has no fixed size: read as the catalog's unit"
    if name in CREDIT_UNITS:
        unit = CREDIT_UNITS[name]
        return unit, 1.0, None if unit else f"credit unit {term!r}{sizeless}"
    close = difflib.get_close_matches(name, list(CREDIT_UNITS), n=1, cutoff=0.8)
    if close:
        unit = CREDIT_UNITS[close[0]]
        return (
            unit,
            1.0,
            f"credit unit {term!r} is not a CTDL unit; read as creditUnit:{close[0]} "
            f"(a misspelling, presumably){'' if unit else sizeless}",
        )
    return None, 1.0, f"credit unit {term!r} is not a CTDL unit; read as the catalog's unit"


def level_number(term: str) -> float | None:
    """A numeric level from a level IRI or label (``.../scqf/levels/10`` -> 10)."""
    match = re.search(r"(\d+(?:\.\d+)?)\D*$", local_name(term))
    return float(match.group(1)) if match else None
