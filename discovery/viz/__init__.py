"""Results into pictures: Graphviz DOT and Plotly figures. Nothing is computed here."""
