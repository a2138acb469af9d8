"""Case profiles: case files and cohort tables, validated against the profile schema."""
