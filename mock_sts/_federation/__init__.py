"""Federation: fake identity providers, and the checks STS makes on what they issue."""
