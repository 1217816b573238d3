"""Tests of the claims package, one module per module of ``rumourscore._claims``."""
