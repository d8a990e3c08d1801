"""Journey Discovery: event logs in, the real customer journey out."""
