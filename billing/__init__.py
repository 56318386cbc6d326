"""The billing-run domain: actions, rules and error codes shared by every transport."""
