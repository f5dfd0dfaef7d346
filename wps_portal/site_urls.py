"""The public HTML site."""

urlpatterns = []
