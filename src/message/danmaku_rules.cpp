// placeholder: implemented by its module's change
