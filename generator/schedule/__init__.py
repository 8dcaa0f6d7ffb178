"""The term's schedule: what the rules ask of each school (`demands`), a plan that meets them
(`planner`), and how plan and record compare against the rules (`compliance`)."""
