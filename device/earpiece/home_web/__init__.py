"""The home page: a small local web view of one person's companion, served by `earpiece home`."""
