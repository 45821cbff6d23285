"""The business views: each a widget over a view-model; the view holds no business rule."""
