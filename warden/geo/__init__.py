"""Countries, subdivisions, custom areas and cities."""
