"""One import engine for every ledger a bureau keeps (issue 15). See ledger.py for how a ledger is declared,
engine.py for what the engine does with a file, and docs/imports.md for the user's side."""

from shegong.lib.importer.cleaning import CellError
from shegong.lib.importer.ledger import LEDGERS, Field, Ledger, Row, ledger_get, ledgers_for, register

__all__ = ["LEDGERS", "CellError", "Field", "Ledger", "Row", "ledger_get", "ledgers_for", "register"]
