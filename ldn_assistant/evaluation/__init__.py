"""Evaluation: the question set, metrics, baselines and the report (`ldn-assistant eval`)."""
