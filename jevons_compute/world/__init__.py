"""The world the agents live in: parameters, scenario, presets, technology paths and the
facts taken from the world (each with its source). Imports nothing else of the project."""
