"""Insights: is the organization learning across departments (issue #24)."""
