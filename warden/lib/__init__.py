"""Small pure helpers with no Django models of their own."""
