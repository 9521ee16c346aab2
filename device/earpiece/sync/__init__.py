"""Optional sync of the companion's state to the person's own home server over MQTT 5."""
