"""Shegong: the management information system of grassroots social work stations."""
