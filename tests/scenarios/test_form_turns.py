"""Turns around a form through the real command line and the offline parser: a second request in
the same message, "what's missing?", confirmations and cancellations typed in Spanish and English,
and a field missed twice offered as the form so far."""

from __future__ import annotations

from pathlib import Path

from tests.scenarios.test_transcripts import ALICE, chat, texts_to


def test_a_second_request_what_is_missing_and_a_field_missed_twice(tmp_path: Path) -> None:
    lines = chat("form_turns.jsonl", tmp_path)
    heard = texts_to(lines, ALICE, "reply", "card")
    first = next(line for line in lines if line["to"] == ALICE and line["kind"] == "card")
    assert first["text"].startswith("I'll come back to the facilities work order (location 4W dirty utility room")
    assert first["card"]["title"] == "Review: Purchase requisition"
    assert "Location" not in first["card"]["fields"]  # the first form takes nothing of the second request
    assert heard[1] == "Nothing else is needed. Here is your purchase requisition. Confirm to submit, or edit it."
    assert heard[2].startswith("Se envió REQ-1001 (Solicitud de compra).")  # "sí, envíelo": answered in Spanish
    assert heard[3].startswith("También mencionó otra solicitud: orden de trabajo de instalaciones (ubicación 4W")
    assert heard[3].endswith("¿La inicio ahora?")
    assert heard[4].startswith("Let's do the facilities work order now.")  # "yes"
    assert heard[5] == "Cancelled — nothing was submitted."  # "no, cancel"
    assert heard[7] == (  # "¿qué más necesitas?": in Spanish from here, since "lots" or "4" say no language
        "Para terminar su solicitud de compra todavía necesito estos datos: cantidad, costo estimado y centro de "
        "costos. ¿Cuántas unidades necesita?"
    )
    assert heard[8].endswith("¿Cuántas unidades necesita?")  # "lots": asked once more
    assert "Todavía necesito el dato «cantidad». Escríbalo o pulse Editar" in heard[9]
    stuck = [line for line in lines if line["to"] == ALICE and line["kind"] == "card"][-1]
    assert stuck["card"]["buttons"] == ["edit", "cancel"] and stuck["card"]["labels"] == ["Editar", "Cancelar"]
    assert heard[10].endswith("¿Cuál es el costo total estimado (en USD)?")  # "4": filled, on to the next
    assert {line["request"] for line in lines if line["request"]} == {"REQ-1001"}  # the second was cancelled
    assert all(line["kind"] != "error" for line in lines)
