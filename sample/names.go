package sample

import (
	"math/rand/v2"
	"strings"
)

// Fictional names. Emails use the reserved example.com / example.org /
// example.net domains, so no address can reach a real person.
var firstNames = []string{
	"Amara", "Ben", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi",
	"Ingrid", "Jamal", "Keiko", "Luis", "Maya", "Nikolai", "Olivia", "Pavel",
	"Quinn", "Rosa", "Samuel", "Tamsin", "Uma", "Victor", "Wen", "Ximena",
	"Yusuf", "Zoe", "Abigail", "Bruno", "Chiara", "Desmond", "Esther", "Felix",
	"Gloria", "Hamid", "Iris", "Joaquin", "Kamala", "Leon", "Marisol", "Nadia",
	"Oscar", "Priya", "Rafael", "Sofia", "Theo", "Valentina", "Walter", "Yara",
	"Aiden", "Beatriz", "Connor", "Delphine", "Emeka", "Fatima", "Gideon", "Hana",
	"Isaac", "Juno", "Kofi", "Lucia", "Mateo", "Noor", "Otto", "Penelope",
	"Ruth", "Silas", "Tova", "Umar", "Vera", "Wyatt", "Adaeze", "Bjorn",
	"Cecilia", "Dario", "Eleanor", "Frank", "Greta", "Hector", "Imani", "June",
}

var lastNames = []string{
	"Abernathy", "Acheampong", "Albrecht", "Alvarez", "Andersen", "Bakshi", "Baptiste", "Barlow",
	"Bellamy", "Bergstrom", "Blackwood", "Brennan", "Calloway", "Castellano", "Chandra", "Chen",
	"Costa", "Dalgaard", "Delacroix", "Demir", "Donnelly", "Duarte", "Eriksen", "Esposito",
	"Fairweather", "Farouk", "Fenwick", "Fitzgerald", "Galloway", "Garrido", "Gunderson", "Halvorsen",
	"Hartmann", "Hawthorne", "Hollis", "Ibarra", "Iyer", "Jablonski", "Jansen", "Kavanagh",
	"Kowalczyk", "Kuroda", "Lachance", "Lindqvist", "Lowell", "Maddox", "Marchetti", "Mbeki",
	"McAllister", "Mendoza", "Moreau", "Nakamura", "Navarro", "Nkemelu", "Novak", "Oduya",
	"Okafor", "Olsen", "Ortega", "Pacheco", "Park", "Pemberton", "Petrov", "Quintero",
	"Rasmussen", "Reyes", "Rhee", "Rinaldi", "Rosenthal", "Saarinen", "Salazar", "Sandoval",
	"Schuster", "Sorensen", "Tanaka", "Thibodeaux", "Torvalds", "Trujillo", "Underwood", "Valdez",
	"Vasquez", "Voss", "Wainwright", "Whitfield", "Winslow", "Xiong", "Yamada", "Yilmaz",
	"Zamora", "Zielinski", "Ashworth", "Balogun", "Cardenas", "Delgado", "Eklund", "Ferreira",
}

var orgNames = []string{
	"Maple Street Bakery", "First Lutheran Church", "Harbor Light Dental", "Riverside Rotary Club",
	"Kessler & Moyo LLP", "Bluebird Books", "Northgate Credit Union", "St. Brigid's Parish",
	"Lakeshore Community Foundation", "Tidewater Family Fund", "Copperline Engineering", "Greenfield Garden Club",
}

type personName struct{ first, last string }

func pickName(r *rand.Rand) personName {
	return personName{firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]}
}

var mailDomains = []string{"example.com", "example.org", "example.net"}

func email(r *rand.Rand, n personName, tag int) string {
	local := strings.ToLower(n.first)
	switch r.IntN(3) {
	case 0:
		local += "." + strings.ToLower(n.last)
	case 1:
		local = local[:1] + strings.ToLower(n.last)
	default:
		local += strings.ToLower(n.last[:1])
	}
	return local + itoa(tag%1000) + "@" + mailDomains[r.IntN(len(mailDomains))]
}
