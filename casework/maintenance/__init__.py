"""Operations on the whole database: backups, restoration, anonymisation."""
