"""Reading event logs from files, safely."""
