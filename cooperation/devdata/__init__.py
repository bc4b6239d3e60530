"""Demo data: realistic, published synthetic records at any scale, for benchmarks and demos
(generator.py, and `manage.py generate_demo_data`). Written with the domain's own rules (slugs,
partial dates, the derived commitment status); nothing else depends on this room.
"""
