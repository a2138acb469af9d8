"""Reading what users give: YAML with positions, the personal-data guard, paths, outputs, configuration."""
