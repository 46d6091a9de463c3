"""Every kind of bad catalog is refused whole, with file, line, id, key and value named."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways.errors import CatalogError
from pathways.loader import load_catalog, load_catalog_text

HEAD = 'catalog: {id: t, version: "1"}\n'


def _errors(body: str, name: str = "cat.yaml") -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog_text(HEAD + body, name)
    return info.value.errors


def test_unknown_reference_names_file_line_owner_and_id() -> None:
    errors = _errors("credentials:\n  - id: T\n    requires: {all: [A, nope]}\n  - {id: A}\n")
    assert errors == [
        "cat.yaml:4 (at /credentials/0/requires/all/1): T: rule names credential "
        "'nope' is not a credential of this catalog"
    ]


def test_duplicate_ids_across_skills_and_credentials() -> None:
    errors = _errors("skills: [{id: py}]\ncredentials:\n  - {id: A}\n  - {id: py}\n")
    assert "cat.yaml:5" in errors[0] and "duplicate id 'py'" in errors[0]


def test_unknown_key_names_the_key_and_the_credential() -> None:
    errors = _errors("credentials:\n  - {id: A, credts: 3}\n")
    assert errors == ["cat.yaml:3 (at /credentials/0/credts): credential 'A': unknown key 'credts'"]


def test_bad_duration_names_the_value() -> None:
    errors = _errors("credentials:\n  - {id: A, valid_for: 3 years}\n")
    assert "valid_for = '3 years'" in errors[0] and "ISO 8601" in errors[0]


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("{select: {subject: CS}, count: 0}", "count = 0"),
        ("{at_least: 3, of: [A]}", "at_least 3 is larger than its list of 1"),
        ("{all: []}", "at least 1 item"),
        ("{credential: A, min_grade: Q}", "min_grade 'Q' is not on the grade scale"),
        ("{all: [A], window: 2y}", "window = '2y'"),
        ("{foo: [A]}", "a rule is a credential id or a mapping"),
    ],
)
def test_bad_values_in_rules(rule: str, words: str) -> None:
    errors = _errors(f"credentials:\n  - {{id: A}}\n  - id: T\n    requires: {rule}\n")
    assert any(words in e for e in errors), errors
    assert all(e.startswith("cat.yaml:") for e in errors)


def test_a_cycle_names_every_id_on_it() -> None:
    errors = _errors(
        "credentials:\n"
        "  - {id: A, prerequisites: B}\n"
        "  - {id: B, requires: {all: [C]}}\n"
        "  - {id: C, prerequisites: {any: [A]}}\n"
    )
    assert len(errors) == 1
    assert "cycle through A, B, C" in errors[0]
    assert "A (prerequisites) -> B (requires) -> C (prerequisites) -> A" in errors[0]


def test_rule_ids_are_unique_and_differ_from_credential_ids() -> None:
    errors = _errors(
        "credentials:\n  - {id: A}\n"
        "  - {id: T, requires: {id: core, all: [A]}}\n"
        "  - {id: U, requires: {id: core, all: [A]}}\n"
        "  - {id: V, requires: {id: A, all: [A]}}\n"
    )
    assert any("duplicate rule id 'core'" in e for e in errors)
    assert any("rule id 'A' is also a credential" in e for e in errors)


def test_yaml_syntax_error_names_line_and_column() -> None:
    errors = _errors("credentials:\n  - {id: A\n")
    assert errors[0].startswith("cat.yaml:") and "not valid YAML" in errors[0]


def test_duplicate_key_in_one_mapping_is_refused() -> None:
    errors = _errors("credentials:\n  - id: A\n    credits: 3\n    credits: 4\n")
    assert "duplicate key 'credits'" in errors[0] and "cat.yaml:5" in errors[0]


def test_json_errors_are_located_by_line_and_pointer() -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog_text(
            '{"catalog": {"id": "t", "version": "1"}, "credentials": '
            '[{"id": "A", "type": "diploma"}]}',
            "cat.json",
        )
    assert info.value.errors[0].startswith("cat.json:1 (at /credentials/0/type)")
    assert "'diploma'" in info.value.errors[0]


def test_a_folder_is_merged_and_refused_whole(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(HEAD + "credentials:\n  - {id: A}\n")
    (tmp_path / "b.yaml").write_text("credentials:\n  - {id: B, requires: {all: [A, C]}}\n")
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    assert str(tmp_path / "b.yaml") + ":2" in info.value.errors[0]
    (tmp_path / "b.yaml").write_text("credentials:\n  - {id: B, requires: {all: [A]}}\n")
    loaded = load_catalog(tmp_path)
    assert sorted(loaded.credentials) == ["A", "B"]


def test_a_second_header_in_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(HEAD)
    (tmp_path / "b.yaml").write_text(HEAD)
    with pytest.raises(CatalogError, match="'catalog' is given again"):
        load_catalog(tmp_path)


def test_same_content_in_yaml_or_json_has_the_same_hash() -> None:
    yaml_text = HEAD + "credentials:\n  - {id: A, credits: 3}\n"
    json_text = (
        '{"credentials": [{"credits": 3, "id": "A"}], "catalog": {"version": "1", "id": "t"}}'
    )
    assert load_catalog_text(yaml_text).hash == load_catalog_text(json_text, "c.json").hash
