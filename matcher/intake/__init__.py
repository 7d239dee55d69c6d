"""Intake: a scenario file or API body read, checked field by field and turned into the frozen
domain model, with every issue located by JSON path and id."""
