"""Staff workflow: everything staff do besides the public site, and no models of its own (the
records are the domain's, in cooperation/tracker).

admin/ (the Django admin: base classes and registrations), spreadsheets/ (import and export),
roles.py (the Editor and Publisher groups), publishing.py (who may publish), locking.py
(optimistic locking of edit forms), lockout.py (the page of a locked-out login), backup.py
(backup and restore), and the commands setup_roles, backup_data and restore_data.
"""
