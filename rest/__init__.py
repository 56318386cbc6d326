"""The legacy REST shim under /backend/api/v1: thin handlers over `billing` actions."""
