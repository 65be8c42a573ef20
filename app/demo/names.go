package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/frontline-lms/frontline/app/auth"
)

// Domain is where every demo address lives. ".example" is reserved (RFC
// 2606), so no demo mail can ever reach a real inbox, and Run only ever
// touches accounts under it.
const Domain = "demo.example"

// Person is one member of the demo organisation.
type Person struct {
	Name    string
	Email   string
	Role    auth.Role
	Existed bool // found under that email before this run: kept as it was, only the password changed
}

// culture is a set of given and family names that belong together, so the
// roster reads like a real international workforce rather than random pairs.
type culture struct{ given, family []string }

var cultures = []culture{
	{[]string{"Amara", "Chinedu", "Ngozi", "Tunde", "Folake", "Emeka", "Adaeze", "Kelechi"},
		[]string{"Okafor", "Adeyemi", "Nwosu", "Balogun", "Eze", "Okonkwo", "Adebayo", "Obi"}},
	{[]string{"Tomás", "João", "Beatriz", "Inês", "Rafael", "Mariana", "Gonçalo", "Luana"},
		[]string{"Pereira", "Costa", "Ferreira", "Almeida", "Rocha", "Carvalho", "Sousa", "Barbosa"}},
	{[]string{"Lucía", "Mateo", "Sofía", "Diego", "Valentina", "Javier", "Camila", "Andrés"},
		[]string{"Fernández", "García", "Morales", "Herrera", "Castillo", "Ramírez", "Navarro", "Ortega"}},
	{[]string{"Mei Lin", "Wei Jie", "Hui Min", "Jun Hao", "Xin Yi", "Kai Wen"},
		[]string{"Tan", "Lim", "Ng", "Wong", "Goh", "Chua"}},
	{[]string{"Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Deepa", "Sanjay"},
		[]string{"Raman", "Iyer", "Sharma", "Patel", "Nair", "Menon", "Reddy", "Gupta"}},
	{[]string{"Olek", "Zofia", "Kasia", "Paweł", "Marta", "Tomasz", "Agnieszka", "Bartek"},
		[]string{"Nowak", "Wójcik", "Kaczmarek", "Mazur", "Krawczyk", "Zając", "Wróbel", "Dudek"}},
	{[]string{"Fatima", "Youssef", "Amina", "Karim", "Leila", "Omar", "Nadia", "Hassan"},
		[]string{"Zahra", "El Amrani", "Benali", "Haddad", "Mansour", "Bakri", "Alaoui", "Idrissi"}},
	{[]string{"Kenji", "Yuki", "Haruto", "Aiko", "Sora", "Emi", "Takeshi", "Naomi"},
		[]string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"}},
	{[]string{"Siobhán", "Liam", "Aoife", "Ciarán", "Niamh", "Declan", "Orla", "Eoin"},
		[]string{"Murphy", "Kelly", "O'Brien", "Walsh", "Byrne", "Ryan", "Doyle", "Gallagher"}},
	{[]string{"Jonas", "Lena", "Matthias", "Anja", "Felix", "Katrin", "Lukas", "Svenja"},
		[]string{"Müller", "Schmidt", "Becker", "Hoffmann", "Schäfer", "Wagner", "Braun", "Krüger"}},
	{[]string{"Minh", "Linh", "Huy", "Thao", "Anh", "Quang"},
		[]string{"Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu"}},
	{[]string{"Erik", "Ingrid", "Lars", "Astrid", "Nils", "Maja", "Oskar", "Elin"},
		[]string{"Lindqvist", "Andersson", "Johansson", "Nyström", "Berg", "Åkesson", "Sjöberg", "Holm"}},
	{[]string{"Kwame", "Akosua", "Wanjiru", "Otieno", "Abena", "Kofi"},
		[]string{"Mensah", "Boateng", "Kamau", "Odhiambo", "Owusu", "Njoroge"}},
	{[]string{"Elif", "Mehmet", "Ayşe", "Emre", "Zeynep", "Burak"},
		[]string{"Yılmaz", "Demir", "Şahin", "Çelik", "Aydın", "Öztürk"}},
}

// Roster returns the people of a demo organisation: an admin, a trainer and
// a manager, then the learners. It depends only on the seed, and person i is
// the same whatever the number of learners, so a second run with more
// learners finds the first ones again by email.
func Roster(seed uint64, learners int) []Person {
	rng := rand.New(rand.NewPCG(seed, 0x6e616d6573)) // "names"
	roles := []auth.Role{auth.Admin, auth.Trainer, auth.Manager}
	people := make([]Person, 0, len(roles)+learners)
	names := map[string]bool{}
	emails := map[string]int{}
	for i := range len(roles) + learners {
		var name, local string
		// A second person with the same full name is fine in a large
		// organisation but looks like a bug in a small one: try a few times
		// for a new one.
		for try := 0; try < 8; try++ {
			c := cultures[rng.IntN(len(cultures))]
			g, f := c.given[rng.IntN(len(c.given))], c.family[rng.IntN(len(c.family))]
			name, local = g+" "+f, emailPart(g)+"."+emailPart(f)
			if !names[name] {
				break
			}
		}
		names[name] = true
		emails[local]++
		if n := emails[local]; n > 1 {
			local = fmt.Sprintf("%s%d", local, n)
		}
		role := auth.Learner
		if i < len(roles) {
			role = roles[i]
		}
		people = append(people, Person{Name: name, Email: local + "@" + Domain, Role: role})
	}
	return people
}

// fold spells the letters of the roster in ASCII for email addresses.
var fold = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ã", "a", "ä", "a", "å", "a", "Å", "a",
	"ç", "c", "ć", "c", "č", "c", "Ç", "c",
	"é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i", "ı", "i",
	"ñ", "n", "ń", "n",
	"ó", "o", "ò", "o", "ô", "o", "õ", "o", "ö", "o", "ø", "o", "Ö", "o",
	"ś", "s", "š", "s", "ş", "s", "Ş", "s",
	"ú", "u", "ù", "u", "û", "u", "ü", "u",
	"ž", "z", "ź", "z", "ż", "z",
	"ł", "l", "ğ", "g", "ß", "ss",
	"'", "", " ", "-",
)

// emailPart turns "El Amrani" into "el-amrani" and "Müller" into "muller".
func emailPart(s string) string {
	s = fold.Replace(strings.ToLower(s))
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return -1
	}, s)
}
