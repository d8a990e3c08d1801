"""Values in cells: numbers with a decimal comma or point, timestamps in Dutch and English
formats. The bottom of the data path: io and the log both parse with these."""
