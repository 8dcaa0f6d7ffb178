"""Stage 4: the curriculum as pages. paths (the site map), render (Jinja), body (HTML bodies),
pages (one method per kind of page), assemble (the whole site and its nav). No engine here."""
