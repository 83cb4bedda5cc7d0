"""Small stand-ins for the services at the network edge."""
