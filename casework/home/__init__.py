"""The pages of no single domain: the home page with its dashboard, the language switch and
the health check. On top of the domains (it reads reports and policing), registered by
``casework.routes`` like every blueprint."""
