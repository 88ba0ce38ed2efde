this file is never read: down migrations do not feed the model
