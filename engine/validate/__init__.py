"""The verb `ladder validate`: rule sets, catalogues, cases, scenarios and rule tests checked, then analysed."""
