"""The public JSON API. Each version is a package (``v1``) and never changes shape once
published; handlers only parse input, call selectors and render."""
