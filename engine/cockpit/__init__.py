"""The cockpit verb (`ladder cockpit`): cases per rung, flows, costs, follow rates and trends over periods."""
