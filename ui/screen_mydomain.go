package ui

import (
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/steps"
)

// newMyDomain asks for the org's My Domain URL. A Lightning or Setup URL is
// rejected with the My Domain URL it stands for, which Tab accepts; a
// sandbox host with Production chosen is flagged with the environment to
// choose. Under the field: the Endpoint URL that follows.
func newMyDomain(c *common) *form {
	f := newForm(c, steps.MyDomain, nil,
		newField(field.MyDomain, false, "https://acme.my.salesforce.com"))
	f.extra = func(w int) string {
		st := c.styles
		endpoint := c.setup.EndpointURL()
		if endpoint == "" {
			return wrap(st.Subtle, w, "The webhook's Endpoint URL follows from the My Domain: https://<My Domain>/services/apexrest/digitalriverv3/webhooks/")
		}
		pairs := [][2]string{{"Endpoint URL", st.Code.Render(endpoint)}}
		if tok := c.setup.TokenURL(); tok != "" {
			pairs = append(pairs, [2]string{"Token endpoint", st.Code.Render(tok)})
		}
		return rows(st, w, pairs)
	}
	return f
}
