"""Oura API v2 collections: request parameters, page tokens and the fetch hooks the streams use."""
