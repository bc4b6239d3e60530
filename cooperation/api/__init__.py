"""Open data: the read-only API on the lists' own filters (/api/v1/), its OpenAPI schema and docs,
the bulk data package (/data/), and what makes the site findable (sitemap, robots.txt)."""
