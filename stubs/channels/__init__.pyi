# Channels ships no type hints; the hotline's typed modules use database_sync_to_async only (channels/db.pyi).
